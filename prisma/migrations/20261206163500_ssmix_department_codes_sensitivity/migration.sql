-- SS-MIX2 senders give the 診療科 as its 統一診療科コード (PV1-10 "02"), and the department rule of
-- lib/access/sensitivity.ts read only names until now: a psychiatric admission filed before this was
-- classified NORMAL, so shown to clinics the patient had withheld psychiatric care from. Raise what the rule now says
-- (never lower: a record classified on a stronger signal keeps its category). Records that inherit
-- from the visit (same facility, same day) are not re-classified here: a re-import of the facility
-- (newer files) classifies them again.
UPDATE "Encounter" SET sensitivity = CASE
    WHEN department IN ('02', '03', '33') THEN 'PSYCHIATRIC'
    WHEN department = '21' THEN 'INFECTIOUS'
    ELSE 'REPRODUCTIVE' END::"Sensitivity"
  WHERE sensitivity = 'NORMAL' AND department IN ('02', '03', '33', '21', '23', '24', '25');
UPDATE "Prescription" SET sensitivity = CASE
    WHEN department IN ('02', '03', '33') THEN 'PSYCHIATRIC'
    WHEN department = '21' THEN 'INFECTIOUS'
    ELSE 'REPRODUCTIVE' END::"Sensitivity"
  WHERE sensitivity = 'NORMAL' AND department IN ('02', '03', '33', '21', '23', '24', '25');

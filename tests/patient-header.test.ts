// The patient header's 記録のある施設: one facility once, however many of its patient ids are linked to
// this patient (review 10: しずおか市民病院 twice after a second id was confirmed as the same person).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { PatientHeader } from "../components/PatientHeader";
import { messages } from "../lib/i18n/messages";
import type { PatientIdentity } from "../lib/record";

const patient: PatientIdentity = {
  id: "p1", familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", sex: "MALE", birthDate: "1958-04-12",
  insurerNumber: null, insuredSymbol: null, insuredNumber: null,
  facilities: [
    { id: "fac-01", name: "つなぐ中央病院", localPatientId: "A1" },
    { id: "fac-02", name: "しずおか市民病院", localPatientId: "B1" },
    { id: "fac-02", name: "しずおか市民病院", localPatientId: "9999013" },
  ],
};

it("names a facility with two linked patient ids once; two facilities both (twin)", () => {
  const html = renderToStaticMarkup(createElement(PatientHeader, { patient, locale: "ja", t: messages.ja, today: new Date("2026-12-07T00:00:00Z") }));
  expect(html).toContain("つなぐ中央病院、しずおか市民病院</dd>");
  expect(html.match(/しずおか市民病院/g)).toHaveLength(1);
});

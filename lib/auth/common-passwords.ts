import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * The breach list: zxcvbn-ts's common-password dictionary (npm @zxcvbn-ts/language-common, MIT,
 * maintained with zxcvbn-ts), about 49,000 passwords ranked by how often they appear in published
 * breaches. Pinned in package.json, so an update is a reviewed change.
 */
const BREACHED = dictionary["passwords-common"];

/**
 * What that list does not know: the obvious ones for a Japanese hospital network (and a few classics,
 * kept so the list never shrinks below them). Lowercase; cores without surrounding digits and symbols.
 */
const LOCAL = `
password passw0rd p@ssw0rd p@ssword pass1234 password1 password12 password123 passwort motdepasse
123456 1234567 12345678 123456789 1234567890 12345 1234 123123 123321 654321 666666 111111 000000 00000000
11111111 88888888 12341234 11223344 987654321 147258369 159753 112233 121212 131313 123qwe qwe123 1q2w3e4r
1q2w3e 1qaz2wsx zaq12wsx qwerty qwertyui qwertyuiop qwerty123 asdfgh asdfghjk asdfghjkl zxcvbnm zxcvbn
abc123 abcd1234 abcdefg abcdefgh aaaaaa aaaaaaaa iloveyou iloveu princess sunshine shadow monkey dragon
master letmein welcome welcome1 login admin admin123 administrator root toor guest user test test123 test1234
secret changeme default football baseball soccer superman batman trustno1 starwars pokemon naruto
hello hello123 freedom whatever qazwsx michael jennifer jordan hunter ranger killer charlie thomas daniel
computer internet samsung google apple microsoft iphone android nintendo
tsunagu tsunagu2026 hospital clinic doctor nurse medical medicine pharmacy kango kangoshi isha byouin
yakkyoku iryou karte denshikarte tokyo osaka kyoto nagoya yokohama shizuoka japan nihon nippon
sakura hikari hanako taro tarou yamada suzuki tanaka sato satou takahashi watanabe
arigatou konnichiwa daisuki aishiteru doraemon pikachu totoro ghibli gundam
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([...BREACHED.map((p) => p.toLowerCase()), ...LOCAL.split(/\s+/).filter(Boolean)]);

package xlsform

import "strings"

// fixture is a workbook written for these tests, kept both here (readable,
// reviewable) and as testdata/<name>.xlsx (what a user uploads, and the
// fuzzer's seeds); TestFixtureFiles keeps the two in step.
type fixture struct {
	name     string
	accepted bool
	md       string
}

var fixtures = []fixture{
	{"all-types", true, fixtureAllTypes},
	{"header-variants", true, fixtureHeaderVariants},
	{"kobo-multilingual", true, fixtureKobo},
	{"unsupported", true, fixtureUnsupported},
	{"repeat", true, fixtureRepeat},
	{"expressions", true, fixtureExpressions},
	{"bad-expressions", false, fixtureBadExpressions},
	{"table-field-list", true, fixtureFieldListTable},
	{"numeric-choices", true, fixtureNumericChoices},
	{"languages", true, fixtureLanguages},
	{"survey-only", true, fixtureSurveyOnly},
	{"worked-example", true, fixtureWorkedExample},
	{"old-spellings", true, fixtureOldSpellings},
	{"calculate", true, fixtureCalculate},
	{"cascading", true, fixtureCascading},
	{"aliases", true, fixtureAliases},
	{"lenient", true, fixtureLenient},
	{"loop", true, fixtureLoop},
	{"single-sheet", true, fixtureSingleSheet},
	{"blank-rows", true, fixtureBlankRows},
	{"media-only", false, fixtureMediaOnly},
}

// fixtureAllTypes has every supported type and column, in three languages.
const fixtureAllTypes = `
| survey |
|  | type | name | label::English (en) | label::Français (fr) | label::العربية (ar) | hint::English (en) | required | relevant | constraint | constraint_message::English (en) | appearance | themes | min | max | max_length | parameters |
|  | begin group | profile | About you | À propos de vous | عنكم | Tell us who you are | | | | | field-list | | | | | |
|  | note | q_intro | Your answers are confidential. | Vos réponses sont confidentielles. | إجاباتكم سرية | | | | | | | | | | | |
|  | select_one org or_other | q_org | Your organization is | Votre organisation est | منظمتكم | | yes | | | | | UNTOC | | | | |
|  | select_multiple areas | q_areas | Areas of work | Domaines de travail | مجالات العمل | Choose up to three | true | | count-selected(.) <= 3 | Three at most | minimal | UNTOC TIP SOM | 1 | 3 | | |
|  | text | q_name | Name of the organization | Nom de l'organisation | اسم المنظمة | | | | | | | | | | 120 | |
|  | text | q_story | Tell us more | Dites-nous en plus | أخبرونا المزيد | | | ${q_org} = 'ngo' | string-length(.) >= 20 | At least 20 characters | multiline | XC.VICTIMS | | | | |
|  | integer | q_founded | Year founded | Année de fondation | سنة التأسيس | | | | . >= 1800 and . <= 2100 | A year, please | | | 1800 | 2100 | | |
|  | decimal | q_staff | Full-time staff | Personnel à plein temps | الموظفون | | | | | | | | 0 | | | |
|  | date | q_since | Working since | En activité depuis | منذ | | | | . >= '1950-01-01' | | | | | | | |
|  | end group | | | | | | | | | | | | | | | |
|  | begin group | priorities | Priorities | Priorités | الأولويات | | | ${q_org} != 'academia' | | | | | | | | |
|  | rank instruments | q_rank | Rank the instruments | Classez les instruments | رتبوا الصكوك | | | | | | | UNTOC TIP SOM FA | | 3 | | |
|  | select_one agree | q_impl | How well is the Convention implemented? | La Convention est-elle bien appliquée ? | ما مدى تنفيذ الاتفاقية؟ | | yes | | | | likert | UNTOC.C1 | | | | |
|  | range | q_conf | Confidence | Confiance | الثقة | | | | | | | | | | | start=1 end=5 step=1 |
|  | begin group | q_articles | How well are these articles implemented? | Ces articles sont-ils bien appliqués ? | ما مدى تنفيذ هذه المواد؟ | | | | | | table-list | UNTOC.C1 | | | | |
|  | select_one agree | art5 | Art. 5 | Art. 5 | المادة 5 | | yes | | | | | UNTOC.ART5 | | | | |
|  | select_one agree | art6 | Art. 6 | Art. 6 | المادة 6 | | yes | | | | | UNTOC.ART6 | | | | |
|  | end group | | | | | | | | | | | | | | | |
|  | end group | | | | | | | | | | | | | | | |
| choices |
|  | list_name | name | label::English (en) | label::Français (fr) | label::العربية (ar) | missing |
|  | org | ngo | An NGO | Une ONG | منظمة غير حكومية | |
|  | org | academia | Academia | Le milieu universitaire | الأوساط الأكاديمية | |
|  | areas | untoc | Organized crime | Criminalité organisée | الجريمة المنظمة | |
|  | areas | tip | Trafficking in persons | Traite des personnes | الاتجار بالأشخاص | |
|  | areas | som | Smuggling of migrants | Trafic illicite de migrants | تهريب المهاجرين | |
|  | areas | fa | Firearms | Armes à feu | الأسلحة النارية | |
|  | agree | #1 | Poorly | Mal | بشكل سيئ | |
|  | agree | #2 | Adequately | Correctement | بشكل مناسب | |
|  | agree | #3 | Well | Bien | بشكل جيد | |
|  | agree | #9 | Don't know | Je ne sais pas | لا أعرف | yes |
|  | instruments | untoc | Organized Crime Convention | Convention | الاتفاقية | |
|  | instruments | tip | Trafficking in Persons Protocol | Protocole traite | بروتوكول الاتجار | |
|  | instruments | som | Smuggling of Migrants Protocol | Protocole migrants | بروتوكول التهريب | |
| settings |
|  | form_id | form_title | form_title::Français (fr) | version | default_language | kind |
|  | all-types | Every type | Tous les types | #4 | English (en) | issue_identification |
`

// fixtureHeaderVariants is a small form written with the header spellings
// found in the wild: "List name", Begin_Group, upper case, stray spaces,
// blank rows and a version stored as a number.
const fixtureHeaderVariants = `
| Survey  |
|  | | | | | |
|  | TYPE | Name  | Label | Constraint Message | Required Message |
|  | Begin_Group | grp | A group | | |
|  |  Select_One   Yes_No  | q1 | Do you agree? | | Please answer |
|  | | | | | |
|  | INTEGER | q2 | How many? | Positive, please | |
|  | End_Group | | | | |
| CHOICES |
|  | List name | Name | Label |
|  | Yes_No | yes | Yes |
|  | | | |
|  | Yes_No | no | No |
| settings |
|  | Form_ID | form title | Version | default language |
|  | variants | Header variants | #20240115 | English (en) |
`

// fixtureKobo is shaped like a form downloaded from KoboToolbox: metadata
// rows, "$kuid" bookkeeping, translations with codes, a choice filter, a
// calculation and a location.
const fixtureKobo = `
| survey |
|  | type | name | label::English (en) | label::Español (es) | label::Français (fr) | hint::English (en) | required | relevant | choice_filter | calculation | $kuid | $autoname |
|  | start | start | | | | | | | | | a1 | start |
|  | end | end | | | | | | | | | a2 | end |
|  | today | today | | | | | | | | | a3 | today |
|  | deviceid | deviceid | | | | | | | | | a4 | deviceid |
|  | select_one country | country | Country | País | Pays | | true | | | | b1 | country |
|  | select_one region | region | Region | Región | Région | | false | | country=${country} | | b2 | region |
|  | select_one yes_no | consent | Do you agree to take part? | ¿Acepta participar? | Acceptez-vous de participer ? | | true | | | | b3 | consent |
|  | begin_group | grp_org | Organization | Organización | Organisation | | | ${consent} = 'yes' | | | b4 | grp_org |
|  | text | org_name | Name | Nombre | Nom | Full name | true | | | | b5 | org_name |
|  | integer | org_staff | Staff | Personal | Personnel | | false | | | | b6 | org_staff |
|  | calculate | staff_band | | | | | | | | if(${org_staff} > 10, 'big', 'small') | b7 | staff_band |
|  | geopoint | location | Location | Ubicación | Emplacement | | false | | | | b8 | location |
|  | end_group | | | | | | | | | | b9 | |
| choices |
|  | list_name | name | label::English (en) | label::Español (es) | label::Français (fr) | country |
|  | country | ken | Kenya | Kenia | Kenya | |
|  | country | mex | Mexico | México | Mexique | |
|  | region | nairobi | Nairobi | Nairobi | Nairobi | ken |
|  | region | cdmx | Mexico City | Ciudad de México | Mexico | mex |
|  | yes_no | yes | Yes | Sí | Oui | |
|  | yes_no | no | No | No | Non | |
| settings |
|  | form_title | form_id | version | default_language | style |
|  | Civil society survey | kobo_cso_survey | vXa7Bc9 | English (en) | pages |
| external_choices |
|  | list_name | name | label |
|  | districts | d1 | District 1 |
`

// fixtureUnsupported has one row of each construct Agora leaves out.
const fixtureUnsupported = `
| survey |
|  | type | name | label | default | read_only | image | guidance_hint | trigger | calculation |
|  | text | q_keep | A question Agora keeps | x | yes | a.png | more | q_keep | |
|  | calculate | calc | | | | | | | pulldata('fruits', 'name', 'name', 'mango') |
|  | hidden | hid | | | | | | |
|  | geopoint | gp | Where? | | | | | |
|  | geotrace | gt | Route | | | | | |
|  | geoshape | gs | Area | | | | | |
|  | image | photo | A photo | | | | | |
|  | audio | voice | A recording | | | | | |
|  | video | clip | A clip | | | | | |
|  | file | doc | A document | | | | | |
|  | barcode | bc | A barcode | | | | | |
|  | time | tm | A time | | | | | |
|  | datetime | dt | A date and time | | | | | |
|  | acknowledge | ack | OK? | | | | | |
|  | select_one_from_file districts.csv | dist | District | | | | | |
|  | start | start | | | | | | |
|  | username | user | | | | | | |
| settings |
|  | form_id | form_title |
|  | unsupported | Unsupported constructs |
`

// fixtureRepeat has a repeat counted by an answer, a group, a calculation
// and a repeat inside it, and calculations after it over its answers.
const fixtureRepeat = `
| survey |
|  | type | name | label | relevant | constraint | calculation | repeat_count | required | appearance |
|  | integer | hh_size | How many people live in the household? | | . >= 0 and . <= 20 | | | yes | |
|  | begin repeat | member | Household member | | | | ${hh_size} | | |
|  | text | member_name | Name | | | | | yes | |
|  | integer | member_age | Age | | . < 130 | | | | |
|  | calculate | member_adult | | | | if(${member_age} >= 18, 'yes', 'no') | | | |
|  | begin group | work | Work | ${member_adult} = 'yes' | | | | | field-list |
|  | select_one yn | member_works | Does this person work? | | | | | | |
|  | end group | | | | | | | | |
|  | begin repeat | job | Jobs | ${member_works} = 'yes' | | | | | |
|  | text | job_title | Job title | | | | | | |
|  | end repeat | | | | | | | | |
|  | end repeat | | | | | | | | |
|  | begin repeat | project | Projects of the household | | | | | | |
|  | text | project_name | Project | | | | | | |
|  | end repeat | | | | | | | | |
|  | calculate | total_age | | | | sum(${member_age}) | | | |
|  | calculate | projects | | | | count(${project}) | | | |
|  | note | summary | Thank you: ${projects} projects | | | | | | |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
| settings |
|  | form_id | form_title |
|  | household | Household |
`

// fixtureExpressions uses every expression form of the subset.
const fixtureExpressions = `
| survey |
|  | type | name | label | relevant | constraint | appearance |
|  | select_one yn | q_yn | Yes or no? | | |  |
|  | select_multiple areas | q_areas | Areas | | count-selected(.) >= 1 and count-selected(.) < 3 |  |
|  | rank areas | q_rank | Rank | | |  |
|  | integer | q_age | Age | ${q_yn} = 'yes' or ${q_yn} = "no" | . > 17 and . <= 120 |  |
|  | decimal | q_share | Share | ${q_age} >= 18 and not(${q_age} > 65) | . >= 0.5 and . != 100 |  |
|  | text | q_note | Why? | selected(${q_areas}, 'tip') and ${q_age} != '' | string-length(.) < 500 |  |
|  | text | q_top | Why first? | selected-at(${q_rank}, 0) = 'tip' | |  |
|  | text | q_empty | Nothing? | ${q_note} = '' | |  |
|  | select_one agree | q_agree | Agree? | | | likert |
|  | text | q_scale | Why not? | ${q_agree} <= 2 or selected(${q_agree}, '9') | |  |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
|  | areas | tip | Trafficking |
|  | areas | som | Smuggling |
|  | areas | fa | Firearms |
|  | agree | #1 | Disagree |
|  | agree | #2 | Neutral |
|  | agree | #3 | Agree |
|  | agree | #9 | Don't know |
| settings |
|  | form_id | form_title |
|  | expressions | Expressions |
`

// fixtureBadExpressions has expressions outside the subset: each is
// refused at its cell. q_agree is a likert scale through the appearance
// column.
const fixtureBadExpressions = `
| survey |
|  | type | name | label | relevant | constraint | appearance |
|  | integer | q_age | Age | | sin(.) > 0 | |
|  | text | q_a | A | jr:choice-name(${q_age}, '${q_age}') = 'x' | | |
|  | text | q_b | B | ${q_age} > 18 and | | |
|  | text | q_c | C | ${nowhere} = 'x' | | |
|  | text | q_d | D | . = 'x' | | |
|  | text | q_e | E | /data/q_age > 3 | | |
|  | select_multiple yn | q_m | M | | | |
|  | text | q_f | F | ${q_m} = 'yes' | | |
|  | select_one agree | q_agree | Agree? | | | likert |
|  | text | q_g | G | ${q_agree} = 'high' | | |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
|  | agree | #1 | Low |
|  | agree | #2 | High |
| settings |
|  | form_id | form_title |
|  | bad-expressions | Bad expressions |
`

// fixtureFieldListTable is a table as the ODK documentation builds it: a
// field-list group whose first row has appearance label.
const fixtureFieldListTable = `
| survey |
|  | type | name | label | appearance | required |
|  | begin group | tbl | Rate each service | field-list | |
|  | select_one rating | tbl_header | Service | label | |
|  | select_one rating | police | Police | list-nolabel | yes |
|  | select_one rating | courts | Courts | list-nolabel | yes |
|  | end group | | | | |
| choices |
|  | list_name | name | label |
|  | rating | #1 | Bad |
|  | rating | #2 | Fair |
|  | rating | #3 | Good |
| settings |
|  | form_id | form_title |
|  | table | Table |
`

// fixtureNumericChoices has the numeric choice names and reserved question
// names common in the wild.
const fixtureNumericChoices = `
| survey |
|  | type | name | label | relevant |
|  | select_one sex | sex | Sex | |
|  | date | date | Date of the interview | |
|  | text | why_1 | Why? | ${sex} = '1' and ${date} != '' |
| choices |
|  | list_name | name | label |
|  | sex | #1 | Female |
|  | sex | #2 | Male |
|  | sex | #-99 | Prefer not to say |
| settings |
|  | form_id | form_title |
|  | numeric-choices | Numeric choices |
`

// fixtureLanguages mixes a plain label column, a language named without a
// code and a language Agora does not speak.
const fixtureLanguages = `
| survey |
|  | type | name | label | label::French | label::Português (pt) | hint::Español (es) |
|  | text | q1 | Question one | Question un | Pergunta um | Pista |
| settings |
|  | form_id | form_title | form_title::French | default_language |
|  | languages | Languages | Langues | English |
`

// fixtureSurveyOnly has no settings and no choices sheet: the code comes
// from the file name, the title from the code, the language from the
// options.
const fixtureSurveyOnly = `
| survey |
|  | type | name | label |
|  | text | q1 | What is the main problem? |
|  | integer | q2 | Since how many years? |
`

// fixtureWorkedExample is the worked example of docs/xlsform.md.
const fixtureWorkedExample = `
| survey |
|  | type | name | label::English (en) | label::Français (fr) | hint::English (en) | required | relevant | constraint | appearance | themes |
|  | begin group | profile | Your organization | Votre organisation | | | | | field-list | |
|  | select_one org_type or_other | q_org_type | Which type of organization do you represent? | Quel type d'organisation représentez-vous ? | | yes | | | | UNTOC |
|  | integer | q_years | For how many years has it worked on these issues? | Depuis combien d'années travaille-t-elle sur ces questions ? | In whole years | | | . >= 0 and . <= 100 | | UNTOC |
|  | end group | | | | | | | | | |
|  | begin group | cooperation | Cooperation with the authorities | Coopération avec les autorités | | | | | field-list | |
|  | select_one rating | q_coop | How would you rate your cooperation with the national authorities? | Comment évaluez-vous votre coopération avec les autorités nationales ? | | yes | | | likert | UNTOC.C2 |
|  | text | q_obstacles | Please describe the obstacles you met. | Veuillez décrire les obstacles rencontrés. | | | ${q_coop} != '' and ${q_coop} <= 2 | | multiline | UNTOC.C2 |
|  | end group | | | | | | | | | |
| choices |
|  | list_name | name | label::English (en) | label::Français (fr) | missing |
|  | org_type | ngo | Non-governmental organization | Organisation non gouvernementale | |
|  | org_type | academia | Academia | Milieu universitaire | |
|  | rating | #1 | Very poor | Très mauvaise | |
|  | rating | #2 | Poor | Mauvaise | |
|  | rating | #3 | Good | Bonne | |
|  | rating | #4 | Very good | Très bonne | |
|  | rating | #9 | Don't know | Je ne sais pas | yes |
| settings |
|  | form_id | form_title | form_title::Français (fr) | version | default_language | kind |
|  | cso-pilot | Pilot initiative: issue identification | Initiative pilote : identification des problèmes | #1 | English (en) | issue_identification |
`

// fixtureOldSpellings uses the spellings of early XLSForm tools still found
// in forms passed from project to project: bind: and control: columns,
// "string" and "int", "select one from", numeric choice names.
const fixtureOldSpellings = `
| survey |
|  | type | name | label | hint | bind:constraint | bind:jr:constraintMsg | bind:relevant | control:appearance | bind:required |
|  | string | org | Name of your organization | | | | | | yes |
|  | int | staff | How many people work there? | | . < 100000 | Fewer than 100,000 | | | |
|  | select one from sector | sector | Sector | | | | | minimal | |
|  | select all that apply from topics | topics | Topics you work on | Not both a and b | not(selected(., 'tip') and selected(., 'som')) | Choose one of the two | ${staff} > 0 | | |
| choices |
|  | list name | name | label |
|  | sector | #1 | Civil society |
|  | sector | #2 | Academia |
|  | topics | tip | Trafficking in persons |
|  | topics | som | Smuggling of migrants |
|  | topics | fa | Firearms |
| settings |
|  | form_title | form_id | public_key |
|  | Old spellings | old-spellings | MIIBIjANBgkq |
`

// fixtureCalculate computes values from earlier answers with XLSForm's
// functions, and uses them in relevance, constraints and other
// calculations; a calculation Agora cannot compute is left out.
const fixtureCalculate = `
| survey |
|  | type | name | label | relevant | constraint | calculation | constraint_message |
|  | integer | staff | Full-time staff | | | | |
|  | integer | volunteers | Volunteers | | | | |
|  | calculate | people | | | | coalesce(${staff}, 0) + coalesce(${volunteers}, 0) | |
|  | calculate | band | | | | if(${people} >= 10, 'large', if(${people} > 0, 'small', 'none')) | |
|  | text | why_large | Why so many? | ${band} = 'large' | | | |
|  | integer | budget | Budget | | . <= ${people} * 100000 | | At most 100 000 a person |
|  | calculate | per_person | | ${people} > 0 | | round(${budget} div ${people}, 2) | |
|  | text | email | Email | | regex(., '^[^@]+@[^@]+$') | | An email address |
|  | date | founded | Founded | | . <= today() | | |
|  | calculate | summary | | | | concat('Staff: ', string(${staff}), ', ', string-length(${email}), ' characters') | |
|  | calculate | mixed | | | | int(${budget} mod 7) + max(${staff}, ${volunteers}) - min(${staff}, 1) | |
|  | calculate | since | | | | date(${founded}) | |
|  | calculate | pulled | | | | pulldata('fruits', 'name', 'name', 'mango') | |
| settings |
|  | form_id | form_title |
|  | calculate | Calculations |
`

// fixtureCascading filters choices by earlier answers: counties by state,
// "king" being a county of two states, cities by county and state.
const fixtureCascading = `
| survey |
|  | type | name | label | choice_filter |
|  | select_one states | state | State | |
|  | select_one counties | county | County | state=${state} |
|  | select_one cities | city | City | county=${county} and state=${state} |
|  | select_multiple colors | colors | Colors | pastel=yes |
|  | select_one colors | favourite | Favourite | selected(${colors}, name) |
| choices |
|  | list_name | name | label | state | county | pastel |
|  | states | texas | Texas | | | |
|  | states | washington | Washington | | | |
|  | counties | king | King | washington | | |
|  | counties | pierce | Pierce | washington | | |
|  | counties | king | King | texas | | |
|  | counties | cameron | Cameron | texas | | |
|  | cities | seattle | Seattle | washington | king | |
|  | cities | dumont | Dumont | texas | king | |
|  | cities | tacoma | Tacoma | washington | pierce | |
|  | colors | red | Red | | | no |
|  | colors | mauve | Mauve | | | yes |
| settings |
|  | form_id | form_title | allow_choice_duplicates |
|  | cascading | Cascading selects | yes |
`

// fixtureAliases spells types as pyxform's type dictionary allows, and has
// one of each type Agora does not collect.
const fixtureAliases = `
| survey |
|  | type | name | label |
|  | start time | started | |
|  | get today | today | |
|  | uri:deviceid | device | |
|  | phone number | phone | Phone number |
|  | select one from yn | agree | Do you agree? |
|  | select all that apply from topics or specify other | topics | Topics |
|  | select_one topics or specify other | main_topic | Main topic |
|  | q int | staff | Staff |
|  | add text prompt | org | Organization |
|  | percentage | share | Share |
|  | dateTime | when | When? |
|  | barcode | badge | Badge number |
|  | osm buildings | building | Building |
|  | geopoint | where | Where? |
|  | add image prompt | photo | Photo |
|  | q decimal | amount | Amount |
|  | select1 yn | again | Again? |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
|  | topics | tip | Trafficking |
|  | topics | som | Smuggling |
| settings |
|  | form_id | form_title |
|  | aliases | Aliases |
`

// fixtureLenient is written as people write forms that XLSForm tools
// accept: typographic quotes, a constraint naming its own question, bare
// values as conditions, one name in two groups, ../name, a question
// without a label, a note without a name, a disabled row, a reference to
// a later question, choices without labels.
const fixtureLenient = `
| survey |
|  | type | name | label | relevant | constraint | disabled |
|  | select_one yn | consent | Do you agree? | | | |
|  | begin group | org | Organization | ${consent} | | |
|  | integer | age | Age | | ${age} >= 0 | |
|  | text | name | Name | ../age != '' | | |
|  | end group | | | | | |
|  | begin group | head | Head of the organization | not(${consent} = ‘no’) | | |
|  | text | name | Name of the head | ${follow_up} = '' | | |
|  | integer | head_age | | | | |
|  | end group | | | | | |
|  | text | never | Never asked | 0 | | |
|  | text | old | Old question | | | yes |
|  | note | | Thank you | | | |
|  | select_one rating | follow_up | Rate us | | | |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
|  | rating | 1 | |
|  | rating | 2 | |
| settings |
|  | form_id | form_title |
|  | lenient | Lenient |
`

// fixtureLoop asks two questions once per facility.
const fixtureLoop = `
| survey |
|  | type | name | label | relevant |
|  | select_multiple facility | facilities | Which facilities are on the premises? | |
|  | begin loop over facility | per_facility | Facilities | |
|  | integer | number | How many %(label)s are there? | |
|  | text | state | In what state are the %(label)s? | ${number} > 0 |
|  | end loop | | | |
| choices |
|  | list_name | name | label |
|  | facility | latrine | latrines |
|  | facility | well | wells |
| settings |
|  | form_id | form_title |
|  | loop | Loop |
`

// fixtureSingleSheet is a workbook of one sheet, not named survey.
const fixtureSingleSheet = `
| Sheet1 |
|  | type | name | label |
|  | text | state | The state |
`

// fixtureBlankRows ends after 60 blank rows, as XLSForm tools read it:
// the stray row after them is left out.
var fixtureBlankRows = `
| survey |
|  | type | name | label |
|  | text | q1 | The question |
` + strings.Repeat("|  |  |  |  |\n", 60) + `|  | party like it's 2099 |  |  |
`

// fixtureMediaOnly has nothing a web survey can ask.
const fixtureMediaOnly = `
| survey |
|  | type | name | label |
|  | geopoint | where | Where are you? |
|  | image | photo | A photo |
| settings |
|  | form_id | form_title |
|  | media-only | Media only |
`

package xlsform

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// TestUnsupportedConstructsReported checks that every construct left out
// or converted is in the report, at its cell, with what was done.
func TestUnsupportedConstructsReported(t *testing.T) {
	_, unsupported := mustImport(t, fixtureUnsupported)
	_, kobo := mustImport(t, fixtureKobo)
	tests := []struct {
		rep              *Report
		cell, action, in string
	}{
		{unsupported, "survey!I3", ActionSkipped, "function pulldata() is not supported"},
		{unsupported, "survey!A4", ActionSkipped, "hidden fields"},
		{unsupported, "survey!A5", ActionSkipped, "geopoint"},
		{unsupported, "survey!A6", ActionSkipped, "geotrace"},
		{unsupported, "survey!A7", ActionSkipped, "geoshape"},
		{unsupported, "survey!A8", ActionSkipped, "image uploads"},
		{unsupported, "survey!A9", ActionSkipped, "audio"},
		{unsupported, "survey!A10", ActionSkipped, "video"},
		{unsupported, "survey!A11", ActionSkipped, "file uploads"},
		{unsupported, "survey!A12", ActionConverted, "a barcode is asked as a text"},
		{unsupported, "survey!A13", ActionSkipped, "times of day"},
		{unsupported, "survey!A14", ActionConverted, "a date and time is asked as a date"},
		{unsupported, "survey!A15", ActionSkipped, "acknowledge"},
		{unsupported, "survey!A16", ActionSkipped, "external file"},
		{unsupported, "survey!A17", ActionSkipped, "metadata (start)"},
		{unsupported, "survey!A18", ActionSkipped, "metadata (username)"},
		{unsupported, "survey!D2", ActionSkipped, "default answers"},
		{unsupported, "survey!E2", ActionSkipped, "read-only"},
		{unsupported, "survey!F2", ActionSkipped, "media"},
		{unsupported, "survey!G2", ActionSkipped, "guidance hints"},
		{unsupported, "survey!H2", ActionSkipped, "triggers"},
		{kobo, "survey!A13", ActionSkipped, "geopoint"},
		{kobo, "settings!E2", ActionSkipped, "column style: a setting Agora does not use"},
		{kobo, "settings!C2", ActionSkipped, `version "vXa7Bc9" is not a whole number`},
		{kobo, "external_choices", ActionSkipped, "external files"},
	}
	for _, tt := range tests {
		t.Run(tt.cell+" "+tt.in, func(t *testing.T) {
			if !hasItem(tt.rep.Items, SeverityWarning, tt.action, tt.cell, tt.in) {
				t.Errorf("no %s warning at %s containing %q in\n%s", tt.action, tt.cell, tt.in, tt.rep)
			}
		})
	}
}

// TestRefusals checks that what cannot be imported is refused with the
// cell and the reason.
func TestRefusals(t *testing.T) {
	const header = "| survey |\n|  | type | name | label | themes | min | parameters | calculation | repeat_count |\n"
	const yn = "| choices |\n|  | list_name | name | label |\n|  | yn | yes | Yes |\n"
	tests := []struct{ name, src, cell, in string }{
		{"unknown type", header + "|  | selct_one yn | q | Q |\n", "survey!A2", `unknown type "selct_one yn"`},
		{"Kobo matrix", header + "|  | begin_kobomatrix | m | M |\n|  | end_kobomatrix | | |\n", "survey!A2", "KoboToolbox's own type"},
		{"missing list", header + "|  | select_one nolist | q | Q |\n" + yn, "survey!A2", `choice list "nolist" is not in the choices sheet`},
		{"select without list", header + "|  | select_one | q | Q |\n", "survey!A2", "select_one needs the name of a choice list"},
		{"end group alone", header + "|  | text | q | Q |\n|  | end group | | |\n", "survey!A3", "end group without a begin group"},
		{"end repeat for a group", header + "|  | begin group | g | G |\n|  | text | q | Q |\n|  | end repeat | | |\n", "survey!A4", `end repeat closes group "g"`},
		{"unclosed group", header + "|  | begin group | g | G |\n|  | text | q | Q |\n", "survey!A2", `group "g" is never closed`},
		{"unclosed repeat", header + "|  | begin repeat | r | R |\n|  | text | q | Q |\n", "survey!A2", `repeat "r" is never closed`},
		{"repeats three deep", header + "|  | begin repeat | r1 | R |\n|  | begin repeat | r2 | R |\n|  | begin repeat | r3 | R |\n|  | text | q | Q |\n" +
			"|  | end repeat | | |\n|  | end repeat | | |\n|  | end repeat | | |\n", "survey!4", "repeats nest at most 2 deep"},
		{"empty repeat", header + "|  | text | q | Q |\n|  | begin repeat | r | R |\n|  | end repeat | | |\n", "survey!A3", `repeat "r" has no question`},
		{"loop over nothing", header + "|  | text | q | Q |\n|  | begin loop over nolist | l | L |\n|  | text | x | X |\n|  | end loop | | |\n", "survey!A3", `choice list "nolist" of the loop`},
		{"calculate without calculation", header + "|  | text | q | Q |\n|  | calculate | c | |\n", "survey!G3", "a calculate row needs a calculation"},
		{"calculation of nothing", header + "|  | text | q | Q |\n|  | calculate | c | | | | | ${nowhere} + 1 |\n", "survey!G3", "${nowhere} is not a question of this form"},
		{"unknown theme", header + "|  | text | q | Q | UNTOC NOPE |\n", "survey!D2", `unknown theme "NOPE"`},
		{"no name", header + "|  | text | | Q |\n", "survey!B2", "the question has no name"},
		{"min not a number", header + "|  | integer | q | Q | | low |\n", "survey!E2", `"low" is not a number`},
		{"range too wide", header + "|  | range | q | Q | | | start=0 end=1000 |\n", "survey!F2", "at most 101 whole-number points"},
		{"range parameter", header + "|  | range | q | Q | | | start=a |\n", "survey!F2", `"start=a" is not a range parameter`},
		{"choice without name", header + "|  | select_one yn | q | Q |\n" + yn + "|  | yn | | Maybe |\n", "choices!B3", "the choice has no name"},
		{"unknown kind", header + "|  | text | q | Q |\n| settings |\n|  | form_id | kind |\n|  | k | survey |\n", "settings!B2", `unknown kind "survey"`},
		{"note required", "| survey |\n|  | type | name | label | required |\n|  | text | q | Q | |\n|  | note | n | N | yes |\n", "survey!D3", "a note takes no answer"},
		{"no type column", "| survey |\n|  | name | label |\n|  | q | Q |\n", "survey!1", "no type column"},
		{"no survey sheet", "| questions |\n|  | type | name | label |\n|  | text | q | Q |\n| choices |\n|  | list_name | name |\n", "", "no survey sheet"},
		{"repeated column", "| survey |\n|  | type | name | label | Label |\n|  | text | q | Q | Q |\n", "survey!D1", `column "Label" repeats column C`},
		{"default language without labels", "| survey |\n|  | type | name | label::English (en) |\n|  | text | q | Q |\n| settings |\n|  | default_language |\n|  | French (fr) |\n", "settings!A2", "no label column in the default language, Français (fr)"},
		{"unsupported default language", "| survey |\n|  | type | name | label |\n|  | text | q | Q |\n| settings |\n|  | default_language |\n|  | Swahili (sw) |\n", "settings!A2", `default language "Swahili (sw)" is not one of Agora's languages`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := refused(t, tt.src)
			if !hasItem(errs, SeverityError, ActionRefused, tt.cell, tt.in) {
				t.Errorf("no refusal at %q containing %q in %+v", tt.cell, tt.in, errs)
			}
		})
	}
}

// TestEveryProblemAtOnce checks that problems of the structure do not stop
// the report: the problems after them are listed too.
func TestEveryProblemAtOnce(t *testing.T) {
	errs := refused(t, `
| survey |
|  | type | name | label | label | relevant |
|  | end group | | | | |
|  | selct_one yn | q1 | Q1 | | |
|  | text | q2 | Q2 | | ${nowhere} = 'x' |
|  | select_one nolist | q3 | Q3 | | |
|  | begin group | g | G | | |
|  | text | q4 | Q4 | | |
`)
	for _, want := range []struct{ cell, in string }{
		{"survey!D1", `column "label" repeats column C`},
		{"survey!A2", "end group without a begin group"},
		{"survey!A3", `unknown type "selct_one yn"`},
		{"survey!E4", "${nowhere} is not a question of this form"},
		{"survey!A5", `choice list "nolist" is not in the choices sheet`},
		{"survey!A6", `group "g" is never closed`},
	} {
		if !hasItem(errs, SeverityError, ActionRefused, want.cell, want.in) {
			t.Errorf("no refusal at %s containing %q in %+v", want.cell, want.in, errs)
		}
	}
}

// TestLeniencies checks what XLSForm tools accept and Agora reads too,
// with a warning where it reads it differently.
func TestLeniencies(t *testing.T) {
	const header = "| survey |\n|  | type | name | label | relevant |\n"
	tests := []struct {
		name, src, cell, in string
		check               func(*forms.Definition) bool
	}{
		{"a later question", header + "|  | text | a | A | ${b} != '' |\n|  | text | b | B | |\n", "survey!D2",
			"${b} has no answer in Agora (it comes later", func(d *forms.Definition) bool { return d.Questions()[0].Relevant == "false" }},
		{"one name twice", header + "|  | text | q | Q | |\n|  | begin group | g | G | |\n|  | text | q | Q2 | |\n|  | end group | | | |\n", "survey!B4",
			`this one is stored as "g_q"`, func(d *forms.Definition) bool { return d.Questions()[1].Code == "g_q" }},
		{"names that convert alike", header + "|  | text | q-1 | Q | |\n|  | text | q_1 | Q | |\n", "survey!B3",
			`stored as "q_1_2"`, func(d *forms.Definition) bool { return d.Questions()[1].Code == "q_1_2" }},
		{"a choice twice", header + "|  | select_one yn | q | Q | |\n| choices |\n|  | list_name | name | label |\n|  | yn | yes | Yes |\n|  | yn | yes | Yes again |\n", "choices!3",
			`choice "yes" is already in list "yn"`, func(d *forms.Definition) bool { return len(d.Questions()[0].Options) == 1 }},
		{"a comment row", header + "|  | text | q | Q | |\n|  | Section B | | | |\n", "survey!A3",
			"read as a comment", func(d *forms.Definition) bool { return len(d.Questions()) == 1 }},
		{"form_id stored as a date", header + "|  | text | q | Q | |\n| settings |\n|  | form_id |\n|  | %2024-01-15 |\n", "settings!A2",
			`form_id "2024-01-15" has no letter`, func(d *forms.Definition) bool { return d.Code == "test-form" }},
		{"a bare value as relevance", header + "|  | text | q | Q | |\n|  | text | r | R | not(${q}) |\n", "survey!D3",
			"${q} alone as a condition", func(d *forms.Definition) bool { return d.Questions()[1].Relevant == "not answered(q)" }},
		{"a reference to a skipped row", header + "|  | geopoint | gps | Where? | |\n|  | text | q | Q | ${gps} != '' |\n", "survey!D3",
			"${gps} has no answer in Agora", func(d *forms.Definition) bool { return d.Questions()[0].Relevant == "false" }},
		{"a choice filter on a missing column", header + "|  | select_one yn | q | Q | |\n| choices |\n|  | list_name | name | label |\n|  | yn | yes | Yes |\n", "",
			"", func(d *forms.Definition) bool { return d.Questions()[0].ChoiceFilter == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, rep := mustImport(t, tt.src)
			if tt.in != "" && !hasItem(rep.Warnings(), SeverityWarning, ActionConverted, tt.cell, tt.in) &&
				!hasItem(rep.Warnings(), SeverityWarning, ActionSkipped, tt.cell, tt.in) {
				t.Errorf("no warning at %s containing %q in\n%s", tt.cell, tt.in, rep)
			}
			if !tt.check(def) {
				t.Errorf("definition:\n%s", mustJSON(t, def))
			}
		})
	}
}

// TestBadExpressionsLocated checks each untranslatable expression of the
// fixture is refused at its own cell.
func TestBadExpressionsLocated(t *testing.T) {
	errs := refused(t, fixtureBadExpressions)
	want := map[string]string{
		"survey!E2":  "function sin() is not supported",
		"survey!D3":  "function jr:choice-name() is not supported",
		"survey!D4":  "the expression ends too early",
		"survey!D5":  "${nowhere} is not a question of this form",
		"survey!D6":  "'.' (the answer itself) is only allowed in a constraint",
		"survey!D7":  "paths (/) are not supported",
		"survey!D9":  "${q_m} holds several choices: use selected(${q_m}, 'yes')",
		"survey!D11": `${q_agree} is a scale of whole numbers; "high" is not one`,
	}
	if len(errs) != len(want) {
		t.Errorf("%d errors, want %d: %+v", len(errs), len(want), errs)
	}
	for cell, msg := range want {
		if !hasItem(errs, SeverityError, ActionRefused, cell, msg) {
			t.Errorf("no refusal at %s containing %q", cell, msg)
		}
	}
}

func TestErrorUnwrapsToValidationError(t *testing.T) {
	_, _, err := importMD(t, fixtureBadExpressions)
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%T does not unwrap to *forms.ValidationError", err)
	}
	if ve.Fields[0].Path != "survey!E2" || !strings.Contains(ve.Fields[0].Message, "sin()") {
		t.Errorf("first field %+v", ve.Fields[0])
	}
	if !strings.HasPrefix(err.Error(), "the XLSForm was refused: survey!E2: column constraint: function sin()") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestNestedGroupsFlattened(t *testing.T) {
	def, rep := mustImport(t, `
| survey |
|  | type | name | label | relevant | themes |
|  | begin group | outer | Outer | | |
|  | text | a | A | | |
|  | begin group | inner | Inner heading | ${a} != '' | TIP |
|  | text | b | B | ${a} = 'x' | |
|  | begin group | deepest | | ${a} != 'y' | |
|  | text | c | C | | SOM |
|  | end group | | | | |
|  | end group | | | | |
|  | end group | | | | |
`)
	if len(def.Sections) != 1 {
		t.Fatalf("%d sections, want 1", len(def.Sections))
	}
	var got []string
	for _, q := range def.Sections[0].Questions {
		got = append(got, q.Code+" "+q.Type+" ["+q.Relevant+"] "+strings.Join(q.Themes, ","))
	}
	want := []string{
		"a text [] ",
		"inner note [answered(a)] ",
		`b text [answered(a) and a == "x"] TIP`,
		`c text [answered(a) and a != "y"] SOM`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("questions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, cell := range []string{"survey!A4", "survey!A6"} {
		if !hasItem(rep.Items, SeverityWarning, ActionConverted, cell, "is inside another group") {
			t.Errorf("no flattening warning at %s:\n%s", cell, rep)
		}
	}
}

func TestTranslations(t *testing.T) {
	def, rep := mustImport(t, `
| survey |
|  | type | name | label | label::English (en) | label::العربية (ar) | label::中文 (zh-Hans) | hint::Русский (RU) | label::Kiswahili (sw) |
|  | text | q1 | Question | Question | سؤال | 问题 | Подсказка | Swali |
|  | text | q2 | Plain | Translated | | | | |
| settings |
|  | form_id | default_language |
|  | tr | English (en) |
`)
	if !slicesEqual(def.Languages, []string{"en", "ar", "zh", "ru"}) {
		t.Errorf("languages %v", def.Languages)
	}
	q1 := def.Question("q1")
	if q1.Label["ar"] != "سؤال" || q1.Label["zh"] != "问题" || q1.Hint["ru"] != "Подсказка" {
		t.Errorf("q1 %+v", q1)
	}
	if def.Question("q2").Label["en"] != "Translated" {
		t.Errorf("q2 label %v: the column that names its language wins", def.Question("q2").Label)
	}
	for _, w := range []struct{ cell, in string }{
		{"survey!H1", `language "Kiswahili (sw)" is not one of Agora's languages`},
		{"survey!D3", "two columns give the label text in English (en) and disagree"},
	} {
		if !hasItem(rep.Items, SeverityWarning, "", w.cell, w.in) && !hasAnyAction(rep.Items, w.cell, w.in) {
			t.Errorf("no warning at %s containing %q:\n%s", w.cell, w.in, rep)
		}
	}
}

func hasAnyAction(items []Item, cell, in string) bool {
	return hasItem(items, SeverityWarning, ActionSkipped, cell, in) || hasItem(items, SeverityWarning, ActionConverted, cell, in)
}

func slicesEqual(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func TestParseLanguage(t *testing.T) {
	tests := map[string]string{
		"English (en)": "en", "Français (fr)": "fr", "Español (es-419)": "es", "中文 (zh_CN)": "zh",
		"العربية (ar)": "ar", "Russian (rus)": "ru", "french": "fr", "Français": "fr", "es": "es",
		"fr-CA": "fr", "Swahili (sw)": "", "Kiswahili": "", "English (eng)": "en", "": "",
	}
	for in, want := range tests {
		if got := parseLanguage(in); got != want {
			t.Errorf("parseLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReservedMatchesForms keeps the importer's list of reserved names in
// step with what forms.Compile refuses.
func TestReservedMatchesForms(t *testing.T) {
	compiles := func(code string) bool {
		def := &forms.Definition{Code: "x", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
			Title: forms.Text{"en": "X"}, Sections: []forms.Section{{Code: "s", Questions: []forms.Question{
				{Code: code, Type: forms.TypeText, Label: forms.Text{"en": "Q"}}}}}}
		_, err := forms.Compile(def, nil)
		return err == nil
	}
	for name := range reserved {
		if compiles(name) {
			t.Errorf("%q is reserved here but forms.Compile accepts it", name)
		}
	}
	for _, name := range []string{"q_date", "age", "name", "country", "region", "consent"} {
		if !compiles(name) || reserved[name] {
			t.Errorf("%q should be a usable question code", name)
		}
	}
}

func TestImportNeverFailsSilently(t *testing.T) {
	// A valid form, read through a reader that fails half-way.
	data := buildXLSX(t, md(fixtureHeaderVariants))
	_, rep, err := Import(t.Context(), &failingReader{data: data[:len(data)/2]}, Options{})
	if err == nil || !rep.HasErrors() || !strings.Contains(rep.Errors()[0].Message, "could not be read") {
		t.Errorf("err %v, report %s", err, rep)
	}
	if _, _, err := Import(t.Context(), bytes.NewReader(data), Options{}); err != nil {
		t.Errorf("the whole file: %v", err)
	}
}

type failingReader struct{ data []byte }

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errors.New("connection reset")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

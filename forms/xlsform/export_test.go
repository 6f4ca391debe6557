package xlsform

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// normalizedExpressions are the rewritings a round trip makes: the
// expression language has several spellings of one condition, XLSForm one.
var normalizedExpressions = []struct{ from, to string }{
	{" && ", " and "},
	{" || ", " or "},
	{"!selected(", "not selected("},
	{"q_coop != nil", "answered(q_coop)"},
	{"q_implementation in 1..2", "q_implementation >= 1 and q_implementation <= 2"},
}

// normalize rewrites the expressions of def as a round trip does.
func normalize(def forms.Definition) *forms.Definition {
	raw, _ := json.Marshal(def)
	var d forms.Definition
	_ = json.Unmarshal(raw, &d) // a deep copy
	fix := func(s string) string {
		for _, n := range normalizedExpressions {
			s = strings.ReplaceAll(s, n.from, n.to)
		}
		return s
	}
	for si := range d.Sections {
		s := &d.Sections[si]
		s.Relevant = fix(s.Relevant)
		if s.Title == nil {
			s.Title = forms.Text{}
		}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			q.Relevant, q.Constraint = fix(q.Relevant), fix(q.Constraint)
		}
	}
	return &d
}

// roundTrip exports def and imports the workbook again.
func roundTrip(t *testing.T, def *forms.Definition) (*forms.Definition, *Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(def, &buf); err != nil {
		t.Fatalf("Export: %v", err)
	}
	got, rep, err := Import(t.Context(), &buf, Options{ThemeKnown: testThemes(t)})
	if err != nil {
		t.Fatalf("Import(Export(def)): %v\n%s", err, rep)
	}
	return got, rep
}

// TestRoundTripDemos checks that import(export(q)) reproduces q for the
// demo questionnaires and the example of every question type.
func TestRoundTripDemos(t *testing.T) {
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var example forms.Definition
	if err := json.Unmarshal(raw, &example); err != nil {
		t.Fatal(err)
	}
	example.Version = 7 // exported and read back
	for _, def := range append(defs, example) {
		t.Run(def.Code+"-"+def.Kind, func(t *testing.T) {
			if _, err := forms.Compile(&def, testThemes(t)); err != nil {
				t.Fatalf("the definition itself is invalid: %v", err)
			}
			got, rep := roundTrip(t, &def)
			want := normalize(def)
			if !reflect.DeepEqual(got, want) {
				a, b := mustJSON(t, want), mustJSON(t, got)
				t.Errorf("round trip differs:\nwant %s\ngot  %s", a, b)
			}
			for _, it := range rep.Items {
				if it.Action != ActionConverted || !strings.Contains(it.Message, "becomes one matrix question") {
					t.Errorf("unexpected report item %+v", it)
				}
			}
		})
	}
}

// TestRoundTripFixtures checks that what the importer makes of each fixture
// survives export and import unchanged.
func TestRoundTripFixtures(t *testing.T) {
	for _, fx := range fixtures {
		if !fx.accepted {
			continue
		}
		t.Run(fx.name, func(t *testing.T) {
			def, _ := mustImport(t, fx.md)
			got, _ := roundTrip(t, def)
			// A scale is written as select_one with appearance likert, so
			// it comes back with that appearance, whatever it had.
			for _, q := range def.Questions() {
				if q.Type == forms.TypeScale && indexFold(strings.Fields(q.Appearance), "likert") < 0 {
					q.Appearance = strings.TrimSpace("likert " + q.Appearance)
				}
			}
			if !reflect.DeepEqual(got, def) {
				t.Errorf("round trip differs:\nwant %s\ngot  %s", mustJSON(t, def), mustJSON(t, got))
			}
		})
	}
}

// TestExportSheets checks the shape of the workbook ODK and KoboToolbox
// read: language columns, the settings row, and how matrices, scales,
// long texts and "other" options are written.
func TestExportSheets(t *testing.T) {
	defs, _ := forms.DemoQuestionnaires()
	var buf bytes.Buffer
	if err := Export(&defs[1], &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"survey", "choices", "settings"}) {
		t.Fatalf("sheets %v", got)
	}
	rows := func(sheet string) []map[string]string {
		all, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, r := range all[1:] {
			m := map[string]string{}
			for i, v := range r {
				m[all[0][i]] = v
			}
			out = append(out, m)
		}
		return out
	}
	survey, choices, settings := rows("survey"), rows("choices"), rows("settings")
	find := func(rows []map[string]string, col, v string) map[string]string {
		for _, r := range rows {
			if r[col] == v {
				return r
			}
		}
		t.Fatalf("no row with %s = %q", col, v)
		return nil
	}
	tests := []struct{ name, got, want string }{
		{"settings form_id", settings[0]["form_id"], "self-assessment-c1"},
		{"settings default_language", settings[0]["default_language"], "English (en)"},
		{"settings French title", settings[0]["form_title::Français (fr)"], defs[1].Title["fr"]},
		{"settings kind", settings[0]["kind"], "self_assessment_input"},
		{"section", find(survey, "name", "legislation")["type"], "begin group"},
		{"section title in French", find(survey, "name", "legislation")["label::Français (fr)"], "Cadre juridique"},
		{"matrix group", find(survey, "name", "q_law")["appearance"], "table-list"},
		{"matrix row", find(survey, "name", "untoc_art5")["type"], "select_one q_law"},
		{"matrix row themes", find(survey, "name", "untoc_art5")["themes"], "UNTOC.ART5"},
		{"matrix row required", find(survey, "name", "untoc_art5")["required"], "yes"},
		{"scale point", find(choices, "label::English (en)", "Don’t know")["missing"], "yes"},
		{"other option", find(choices, "label::English (en)", "Other (please specify)")["other"], "yes"},
		{"relevant", find(survey, "name", "q_ta_art5_detail")["relevant"], "${q_ta_art5} = 'yes'"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestExportRefusesUntranslatable(t *testing.T) {
	def := &forms.Definition{
		Code: "x", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: forms.Text{"en": "X"},
		Sections: []forms.Section{{Code: "s", Title: forms.Text{}, Questions: []forms.Question{
			{Code: "q_rank", Type: forms.TypeRanking, Label: forms.Text{"en": "Rank"},
				Options: []forms.Option{{Code: "a", Label: forms.Text{"en": "A"}}}},
			{Code: "q_t", Type: forms.TypeText, Label: forms.Text{"en": "T"}, Relevant: `rank_of(q_rank, "a") <= 2`},
		}}},
	}
	var buf bytes.Buffer
	err := Export(def, &buf)
	var ve *forms.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Path != "/sections/0/questions/1/relevant" {
		t.Fatalf("Export error %v, want one problem at /sections/0/questions/1/relevant", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Export wrote %d bytes despite the error", buf.Len())
	}
}

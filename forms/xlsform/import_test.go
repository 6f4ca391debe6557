package xlsform

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// oneQuestion imports a survey of one question row (header and row cells
// given) with the choices rows given, and returns the question.
func oneQuestion(t *testing.T, header, cells string, choices ...string) (*forms.Question, *Report) {
	t.Helper()
	src := "| survey |\n|  | " + header + " |\n|  | " + cells + " |\n| choices |\n|  | list_name | name | label |\n"
	for _, c := range choices {
		src += "|  | " + c + " |\n"
	}
	def, rep := mustImport(t, src)
	qs := def.Questions()
	if len(qs) != 1 {
		t.Fatalf("%d questions, want 1", len(qs))
	}
	return qs[0], rep
}

func TestImportTypes(t *testing.T) {
	yn := []string{"yn | yes | Yes", "yn | no | No"}
	scale := []string{"sc | #1 | Low", "sc | #2 | High", "sc | #9 | Don't know"}
	tests := []struct {
		name, cells string
		choices     []string
		typ         string
		appearance  string
		options     []string // option codes, or scale values
	}{
		{"select_one", "select_one yn | q | Q | ", yn, forms.TypeSingleChoice, "", []string{"yes", "no"}},
		{"select one (space)", "select one yn | q | Q | ", yn, forms.TypeSingleChoice, "", []string{"yes", "no"}},
		{"select_multiple", "select_multiple yn | q | Q | minimal", yn, forms.TypeMultipleChoice, "minimal", []string{"yes", "no"}},
		{"select all that apply", "select all that apply yn | q | Q | ", yn, forms.TypeMultipleChoice, "", []string{"yes", "no"}},
		{"rank", "rank yn | q | Q | ", yn, forms.TypeRanking, "", []string{"yes", "no"}},
		{"or_other", "select_one yn or_other | q | Q | ", yn, forms.TypeSingleChoice, "", []string{"yes", "no", "other"}},
		{"likert scale", "select_one sc | q | Q | likert", scale, forms.TypeScale, "likert", []string{"1", "2", "9"}},
		{"likert over text choices", "select_one yn | q | Q | likert", yn, forms.TypeSingleChoice, "likert", []string{"yes", "no"}},
		{"numeric names without likert, kept as written", "select_one sc | q | Q | ", scale, forms.TypeSingleChoice, "", []string{"1", "2", "9"}},
		{"or specify other", "select_one yn or specify other | q | Q | ", yn, forms.TypeSingleChoice, "", []string{"yes", "no", "other"}},
		{"phone number", "phone number | q | Q | ", nil, forms.TypeText, "", nil},
		{"barcode asked as text", "barcode | q | Q | ", nil, forms.TypeText, "", nil},
		{"dateTime asked as a date", "dateTime | q | Q | ", nil, forms.TypeDate, "", nil},
		{"text", "text | q | Q | ", nil, forms.TypeText, "", nil},
		{"string", "string | q | Q | ", nil, forms.TypeText, "", nil},
		{"multiline text", "text | q | Q | multiline", nil, forms.TypeLongText, "", nil},
		{"integer", "integer | q | Q | ", nil, forms.TypeInteger, "", nil},
		{"int", "int | q | Q | ", nil, forms.TypeInteger, "", nil},
		{"decimal", "decimal | q | Q | ", nil, forms.TypeNumber, "", nil},
		{"date", "date | q | Q | ", nil, forms.TypeDate, "", nil},
		{"range", "range | q | Q | ", nil, forms.TypeScale, "", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := oneQuestion(t, "type | name | label | appearance", tt.cells, tt.choices...)
			if q.Type != tt.typ || q.Appearance != tt.appearance {
				t.Errorf("type %s, appearance %q; want %s, %q", q.Type, q.Appearance, tt.typ, tt.appearance)
			}
			var got []string
			for _, o := range q.Options {
				got = append(got, o.Code)
			}
			for _, p := range q.Scale {
				got = append(got, strconv.Itoa(p.Value))
			}
			if !slices.Equal(got, tt.options) {
				t.Errorf("options %v, want %v", got, tt.options)
			}
		})
	}
}

// TestHeaderVariants imports one form written with each spelling of its
// headers and types found in the wild: every variant gives the same
// definition.
func TestHeaderVariants(t *testing.T) {
	const base = `
| survey |
|  | type | name | label | required |
|  | begin group | g | Group | |
|  | select_one yn | q1 | Agree? | yes |
|  | end group | | | |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
| settings |
|  | form_id | form_title | version |
|  | variants | Variants | 3 |
`
	want, _ := mustImport(t, base)
	tests := []struct{ name, from, to string }{
		{"list name with a space", "| list_name |", "| list name |"},
		{"begin_group and end_group", "| begin group | g |", "| begin_group | g |"},
		{"upper-case headers", "| type | name | label | required |", "| TYPE | NAME | LABEL | REQUIRED |"},
		{"upper-case types", "| select_one yn |", "| SELECT_ONE yn |"},
		{"upper-case sheet names", "| survey |", "| SURVEY |"},
		{"required as TRUE", "| yes |\n|  | end", "| TRUE |\n|  | end"},
		{"required as a boolean cell", "| yes |\n|  | end", "| !TRUE |\n|  | end"},
		{"version as a number", "| 3 |", "| #3 |"},
		{"caption for label", "| type | name | label |", "| type | name | caption |"},
		{"blank rows", "| begin group | g | Group | |", "| | | | |\n|  | begin group | g | Group | |\n| | | | |"},
		{"blank rows before the header", "| survey |\n", "| survey |\n| | |\n| | |\n"},
		{"settings header spelled with spaces", "| form_id | form_title |", "| form id | Form Title |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := tt.from, tt.to
			if !strings.Contains(base, from) {
				t.Fatalf("the base form has no %q", from)
			}
			got, rep := mustImport(t, strings.Replace(base, from, to, 1))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
			}
			if len(rep.Warnings()) != 1 { // columns without a language taken as English
				t.Errorf("warnings: %s", rep)
			}
		})
	}
}

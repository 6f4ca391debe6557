package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestImportCommand(t *testing.T) {
	dsn := dbtest.Fresh(t)
	fixture := func(name string) string { return "forms/xlsform/testdata/" + name + ".xlsx" }
	tests := []commandCase{
		{"accepted", []string{"import", "--db", dsn, fixture("all-types")}, true, []string{
			"warning converted survey!A4: column type: or_other adds the option",
			"created draft questionnaire 1: all-types version 1, 12 questions in 2 sections, languages en,fr,ar",
		}},
		{"flags after the file", []string{"import", fixture("header-variants"), "--db", dsn}, true, []string{
			"created draft questionnaire 2: variants version 1",
		}},
		{"refused", []string{"import", "--db", dsn, fixture("bad-expressions")}, false, []string{
			"error   refused   survey!E2: column constraint: function sin() is not supported",
		}},
		{"open draft", []string{"import", "--db", dsn, fixture("all-types")}, false, []string{
			"warning converted survey!A4",
		}},
		{"no file", []string{"import", "--db", dsn}, false, nil},
		{"missing file", []string{"import", "--db", dsn, "nowhere.xlsx"}, false, nil},
	}
	runCommands(t, tests)
}

// TestImportCheck measures the project's own fixtures: every workbook is
// imported, refused with its first reason, or has nothing to ask, and the
// totals say so. No database is involved.
func TestImportCheck(t *testing.T) {
	tests := []commandCase{
		{"the fixtures", []string{"import", "--check", "forms/xlsform/testdata"}, false, []string{
			"imported  repeat.xlsx: 14 questions in 1 sections,",
			"imported  cascading.xlsx: 5 questions in 1 sections,",
			"refused   bad-expressions.xlsx: survey!E2: column constraint: function sin() is not supported (docs/xlsform.md lists the functions Agora reads) (at character 1) (and 7 more)",
			"nothing   media-only.xlsx: the form has no question Agora can ask (3 rows left out)",
			"21 workbooks: 19 imported, 1 refused, 1 with nothing a web survey can ask",
			"imported without edits: 19 of 20 (95.0 %)",
		}},
		{"files named", []string{"import", "--check", "forms/xlsform/testdata/loop.xlsx", "forms/xlsform/testdata/lenient.xlsx"}, true, []string{
			"imported  lenient.xlsx", "imported  loop.xlsx", "2 workbooks: 2 imported, 0 refused",
		}},
		{"no workbook", []string{"import", "--check", "docs"}, false, nil},
		{"missing folder", []string{"import", "--check", "nowhere"}, false, nil},
	}
	runCommands(t, tests)
}

// commandCase is one command line, whether it succeeds, and what its
// output holds.
type commandCase struct {
	name    string
	args    []string
	ok      bool
	outputs []string
}

func runCommands(t *testing.T, tests []commandCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tt.args, &out)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok = %v\n%s", err, tt.ok, out.String())
			}
			for _, want := range tt.outputs {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

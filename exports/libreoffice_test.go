package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
)

// allSheetsCSV is LibreOffice's CSV filter with the option (the 12th,
// -1) that writes every sheet as file-SheetName.csv (LibreOffice ≥ 7.2):
// comma, double quote, UTF-8, from row 1, formulas as their values.
const allSheetsCSV = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"

// soffice returns LibreOffice's program, skipping the test when it is not
// installed — except in CI, where it must be.
func soffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
	}
	t.Skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui to run this test")
	return ""
}

// convertSheets has LibreOffice open the workbook and write every sheet as
// CSV; it returns the rows of each sheet by name.
func convertSheets(t *testing.T, workbook []byte) map[string][][]string {
	t.Helper()
	bin := soffice(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(in, workbook, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", allSheetsCSV, "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	sheets := map[string][][]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "book*.csv"))
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(raw))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "book-"), ".csv")
		sheets[name] = rows
	}
	if len(sheets) == 0 {
		t.Fatalf("soffice wrote no CSV: %s", out)
	}
	return sheets
}

func TestLibreOfficeReadsConsultationWorkbook(t *testing.T) {
	fx := newFixture(t)
	id := fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	var buf bytes.Buffer
	if err := BuildConsultation(context.Background(), fx.db, fx.an, ConsultationRequest{ConsultationID: id, Scope: forms.AllCountries, Role: forms.RoleAdmin}, &buf); err != nil {
		t.Fatal(err)
	}
	sheets := convertSheets(t, buf.Bytes())
	for _, s := range []string{"Overview", "Summary by theme", "Priorities", "Open answers", "Responses", "Codebook"} {
		if len(sheets[s]) == 0 {
			t.Errorf("LibreOffice shows no sheet %q (has %v)", s, keys(sheets))
		}
	}
	rows := sheets["Responses"]
	var want []forms.Response
	if err := fx.db.Where("consultation_id = ? AND status = ?", id, forms.ResponseSubmitted).Order("id").Find(&want).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2+len(want) {
		t.Fatalf("LibreOffice reads %d rows, want 2 + %d", len(rows), len(want))
	}
	why := slices.Index(rows[1], "q_priorities_why")
	typ := slices.Index(rows[1], "stakeholder_type")
	literal := false
	for i, r := range want {
		got := rows[2+i]
		if got[0] != strconv.Itoa(int(r.ID)) || got[typ] != r.StakeholderType {
			t.Errorf("row %d = %v, want response %d (%s)", i, got[:4], r.ID, r.StakeholderType)
		}
		if got[why] == hyperlink {
			literal = true
		}
		if got[why] == "y" {
			t.Errorf("LibreOffice evaluated the HYPERLINK formula")
		}
	}
	if !literal {
		t.Errorf("the HYPERLINK answer is not shown as its text")
	}
	var answers int64
	fx.db.Table("answers").Joins("JOIN responses r ON r.id = answers.response_id").
		Where("r.consultation_id = ? AND answers.question_code = ? AND answers.option_code = ?", id, "q_areas", "tip").Count(&answers)
	tip, ones := slices.Index(rows[1], "q_areas/tip"), 0
	for _, r := range rows[2:] {
		if r[tip] == "1" {
			ones++
		}
	}
	if int64(ones) != answers {
		t.Errorf("q_areas/tip: %d ones in LibreOffice, %d answers in the database", ones, answers)
	}
}

func TestLibreOfficeReadsComparisonWorkbook(t *testing.T) {
	fx := newFixture(t)
	fx.consultation("KEN", forms.AnonymityConfidential, 6, 0)
	fx.consultation("MEX", forms.AnonymityConfidential, 5, 0)
	var buf bytes.Buffer
	if err := BuildComparison(context.Background(), fx.an, ComparisonRequest{Questionnaire: "pilot-issues", Scope: forms.AllCountries, Role: forms.RoleAdmin}, &buf); err != nil {
		t.Fatal(err)
	}
	sheets := convertSheets(t, buf.Bytes())
	ov := sheets["Overview"]
	found := 0
	for _, r := range ov {
		if len(r) > 3 && (r[1] == "KEN" && r[3] == "6" || r[1] == "MEX" && r[3] == "5") {
			found++
		}
	}
	if found != 2 {
		t.Errorf("overview in LibreOffice: %v", ov)
	}
	if len(sheets) < 2 {
		t.Errorf("sheets = %v", keys(sheets))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

package exports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// ConsultationInput is what the focal point's consultation workbook is
// written from: the analysis summary (suppression already applied for the
// viewer), the questionnaire version's definition and a cursor over the
// submitted responses.
type ConsultationInput struct {
	Summary      *analysis.Summary
	Consultation *forms.Consultation
	Definition   *forms.Definition
	// Codes writes stored codes instead of labels for options and rows.
	Codes bool
	// Access is what the workbook's reader may learn of the respondents:
	// whether it has a Responses sheet (Rows), whether that names who
	// answered (Identities), whether small groups show (Unsuppressed).
	Access    forms.Access
	Responses ResponseCursor
	// Total is the number of responses the cursor yields, for progress.
	Total int
	// RowLimit is the most rows per sheet (MaxRows when zero); tests
	// lower it to see a table continue on a second sheet.
	RowLimit int
	// Progress, when set, is told the percentage written so far.
	Progress func(percent int)
}

// counts are the row counts the Overview reports.
type counts struct {
	responses, texts, questions int
	responseSheets              []string
}

// WriteConsultation writes the consultation workbook to w: Overview,
// Summary by theme, Priorities, Open answers, Responses (continued on more
// sheets past the row limit) and Codebook.
func WriteConsultation(w io.Writer, in ConsultationInput) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	overview := SheetName("Overview", used)
	if err := f.SetSheetName("Sheet1", overview); err != nil {
		return err
	}
	l := labels{lang: in.Summary.Language, fallback: in.Definition.DefaultLanguage, codes: in.Codes, st: st,
		minCell: in.Summary.Consultation.MinCellSize}
	var n counts
	steps := []func() error{
		func() error { return writeSummarySheet(f, st, used, in.Summary, l) },
		func() error { return writePriorities(f, st, used, in.Summary, l) },
		func() (err error) {
			n.texts, err = writeOpenAnswers(f, st, used, in.Summary, in.Definition, l)
			return err
		},
		func() (err error) {
			if in.Access.Rows() {
				n.responseSheets, n.responses, err = writeResponses(f, st, used, in, l)
			}
			return err
		},
		func() (err error) { n.questions, err = writeCodebook(f, st, used, in.Definition, l); return err },
		func() error { return writeOverview(f, st, overview, in, n) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Title: SafeText(in.Summary.Consultation.Title), Creator: "Agora"}); err != nil {
		return err
	}
	if in.Progress != nil {
		in.Progress(99)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// writeResponses streams one row per response.
func writeResponses(f *excelize.File, st styles, used map[string]bool, in ConsultationInput, l labels) ([]string, int, error) {
	fixed := responseFixed(in.Access)
	qcols := responseColumns(in.Definition, l)
	var cols []column
	codes, titles := []any{}, []any{}
	seen := map[string]bool{}
	for _, c := range append(fixed, qcols...) {
		code := c.code
		for i := 2; seen[code]; i++ { // the filter table needs unique headers
			code = fmt.Sprintf("%s~%d", c.code, i)
		}
		seen[code] = true
		cols = append(cols, c.column)
		codes = append(codes, code)
		titles = append(titles, c.title)
	}
	sh, err := newStreamSheet(f, st, used, "Responses", cols, [][]any{titles, codes}, in.RowLimit)
	if err != nil {
		return nil, 0, err
	}
	shown := typeShown(in.Summary, in.Access.Unsuppressed())
	withheld := in.Summary.Suppressed && !in.Access.Unsuppressed()
	set := answerSet{}
	for !withheld && in.Responses.Next() {
		if err := sh.add(responseRow(in.Responses.Record(), st, in.Access, shown, qcols, set)); err != nil {
			return nil, 0, err
		}
		if in.Progress != nil && in.Total > 0 && sh.rows%1000 == 0 {
			in.Progress(min(98, 5+sh.rows*93/in.Total))
		}
	}
	if err := in.Responses.Err(); err != nil {
		return nil, 0, err
	}
	if withheld {
		if err := sh.add([]any{"Withheld: fewer respondents than the minimum cell size."}); err != nil {
			return nil, 0, err
		}
	}
	return sh.sheets, sh.rows, sh.close()
}

// typeShown hides the stakeholder type of a group the analysis suppressed
// (for readers who do not see every group): a row would otherwise point at
// a small group.
func typeShown(s *analysis.Summary, unsuppressed bool) func(string) string {
	hidden := map[string]bool{}
	for _, g := range s.Groups {
		if g.Suppressed && !unsuppressed {
			hidden[g.Code] = true
		}
	}
	return func(t string) string {
		if hidden[t] {
			return maskedOption
		}
		return t
	}
}

// writeOverview fills the first sheet: what the workbook is about, the
// response rates, how to read it, when it was made and how many rows.
func writeOverview(f *excelize.File, st styles, sheet string, in ConsultationInput, n counts) error {
	s, c := in.Summary, in.Consultation
	rows := [][]any{
		{"Consultation", SafeText(s.Consultation.Title)},
		{"Country", fmt.Sprintf("%s (%s)", s.Consultation.CountryName, s.Consultation.Country)},
		{"Questionnaire", fmt.Sprintf("%s, version %d", s.Consultation.QuestionnaireCode, s.Consultation.QuestionnaireVersion)},
		{"Opens", dateOf(c.OpensAt)}, {"Closes", dateOf(c.ClosesAt)}, {"Closed", dateOf(c.ClosedAt)},
		{"Anonymity", s.Consultation.Anonymity},
		{"Smallest group shown", smallestGroup(in)},
		{"Responses sheet", responsesNote(in.Access)},
		{"Language of the labels", labelMode(s.Language, in.Codes)},
		{"Respondents", s.Respondents},
		{"Exported (UTC)", time.Now().UTC().Format("2006-01-02 15:04")},
		{"Rows", fmt.Sprintf("%d responses on %s; %d open answers; %d questions in the codebook", n.responses, strings.Join(n.responseSheets, ", "), n.texts, n.questions)},
	}
	r := 1
	set := func(col int, v any, style int) error {
		cell, _ := excelize.CoordinatesToCellName(col, r)
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(sheet, cell, cell, style)
		}
		return nil
	}
	if err := set(1, "Consultation workbook", st.title); err != nil {
		return err
	}
	r = 3
	for _, row := range rows {
		if err := set(1, row[0], st.bold); err != nil {
			return err
		}
		if err := set(2, row[1], st.wrap); err != nil {
			return err
		}
		r++
	}
	r++
	if err := overviewRates(set, &r, st, s.ResponseRates, s.Consultation.MinCellSize); err != nil {
		return err
	}
	r++
	if err := set(1, "How to read this workbook", st.bold); err != nil {
		return err
	}
	for _, line := range readingGuide {
		r++
		if err := set(1, line, st.wrap); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, fmt.Sprintf("A%d", r), fmt.Sprintf("G%d", r)); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 26); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", "G", 16)
}

var readingGuide = []string{
	"Summary by theme: each theme of the taxonomy with its questions' figures (counts and percentages of those who answered, means, medians, Borda scores) and a chart.",
	"Priorities: the ranking questions of each instrument, top items first; Kendall's W measures how far respondents agree (0 none, 1 complete).",
	"Open answers: the text answers, by theme and question, with the stakeholder type of their author.",
	"Responses: one row per submitted response, one column per question; a multiple choice has one 0/1 column per option, a ranking the rank given to each option, a matrix one column per row. Row 1 holds the labels, row 2 the codes, with the filter buttons.",
	"Codebook: every question with its code, text, type, themes and options (code and label).",
	"Suppressed: a figure for a group smaller than the smallest group shown is withheld, so that no small organization can be recognized; so is a group hidden so that a smaller one cannot be worked out from the totals, and a figure answered by fewer respondents than the smallest group. Each withheld figure says which of these rules withheld it.",
	"Open answers are listed in an order that says nothing about who wrote them or when; the stakeholder type of a text is left out when its group is too small to be shown.",
	"Texts starting with = + - @ are written with a leading apostrophe so that they are shown, never calculated.",
}

func overviewRates(set func(int, any, int) error, r *int, st styles, rates analysis.ResponseRates, minCell int) error {
	if err := set(1, "Response rates", st.bold); err != nil {
		return err
	}
	*r++
	for i, h := range []string{"Stakeholder type", "Invited", "Open-link visits", "Opened", "Started", "Submitted", "Submitted %"} {
		if err := set(i+1, h, st.header); err != nil {
			return err
		}
	}
	line := func(name string, c analysis.RateCounts) error {
		*r++
		vals := []any{name, c.Invited, c.OpenVisits, c.Opened, c.Started, c.Submitted, nil}
		if c.SubmittedPercent != nil {
			vals[6] = *c.SubmittedPercent
		}
		if c.Suppressed {
			vals = []any{name, SuppressedNote(c.SuppressedBy, minCell)}
			if c.SuppressedBy == analysis.SuppressedSelection {
				vals = []any{name, c.Invited, c.OpenVisits, SuppressedNote(c.SuppressedBy, minCell)}
			}
		}
		for i, v := range vals {
			if err := set(i+1, v, 0); err != nil {
				return err
			}
		}
		return nil
	}
	for _, t := range forms.StakeholderTypes {
		if c, ok := rates.ByType[t]; ok {
			if err := line(t, c); err != nil {
				return err
			}
		}
	}
	if err := line("All", rates.RateCounts); err != nil {
		return err
	}
	*r++
	return nil
}

func labelMode(lang string, codes bool) string {
	if codes {
		return "stored codes instead of labels (" + lang + " for question texts)"
	}
	return lang
}

func dateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// SuppressedNote says, in a cell, which rule withheld a figure.
func SuppressedNote(rule string, minCell int) string {
	switch rule {
	case analysis.SuppressedSelection:
		return fmt.Sprintf("Suppressed: fewer than %d respondents in all", minCell)
	case analysis.SuppressedComplementary:
		return "Suppressed so that a smaller group cannot be worked out from the totals"
	case analysis.SuppressedFewAnswers:
		return fmt.Sprintf("Suppressed: fewer than %d answered", minCell)
	}
	return fmt.Sprintf("Suppressed: fewer than %d respondents in this group", minCell)
}

// smallestGroup states the minimum group size and who it applies to.
func smallestGroup(in ConsultationInput) string {
	n := in.Summary.Consultation.MinCellSize
	if in.Access.Unsuppressed() {
		return fmt.Sprintf("%d respondents: smaller groups are suppressed for everyone but the CSU's administrators, who see them in this workbook", n)
	}
	return fmt.Sprintf("%d respondents: smaller groups are suppressed in this workbook", n)
}

// responsesNote says whether the workbook holds the responses row by row,
// and why not when it does not.
func responsesNote(a forms.Access) string {
	switch {
	case !a.Rows():
		return fmt.Sprintf("not in this workbook: in a %s consultation, the responses are read row by row only by %s", a.Mode, rowReaders(a.Mode))
	case !a.Identities():
		return "one row per response, without who answered, in no particular order, with the day of submission only"
	}
	return "one row per response, with who answered"
}

// rowReaders names who reads the responses of a mode row by row.
func rowReaders(mode string) string {
	switch mode {
	case forms.AnonymityNamed:
		return "the staff of the country and the CSU"
	case forms.AnonymityConfidential:
		return "the CSU's administrators"
	}
	return "the CSU's administrators, without names"
}

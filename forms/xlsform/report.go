package xlsform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// Severities of a report item. An error refuses the whole import; a warning
// says what was converted or left out of an import that went through.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Actions taken on the construct a report item is about.
const (
	// ActionRefused: the construct cannot be imported, so neither can the
	// form.
	ActionRefused = "refused"
	// ActionSkipped: the construct was left out of the questionnaire.
	ActionSkipped = "skipped"
	// ActionConverted: the construct was imported in another shape, which
	// the message describes.
	ActionConverted = "converted"
)

// Item is one entry of an import report: what was found where, and what the
// importer did about it.
type Item struct {
	// Sheet is the worksheet ("survey", "choices", "settings"), empty for
	// the workbook as a whole.
	Sheet string `json:"sheet,omitempty"`
	// Row is the spreadsheet row number, from 1; 0 when the item is about a
	// whole sheet or column.
	Row int `json:"row,omitempty"`
	// Column is the column header as written in the sheet (e.g. "relevant",
	// "label::Français (fr)"), empty when the item is about a whole row.
	Column string `json:"column,omitempty"`
	// Cell is where to look, as a spreadsheet reference: "survey!D7",
	// "survey!7" for a row, "settings" for a sheet.
	Cell     string `json:"cell,omitempty"`
	Severity string `json:"severity"`
	Action   string `json:"action"`
	Message  string `json:"message"`
}

// Report lists everything an import refused, skipped or converted, in the
// order found. An import that succeeds may still carry warnings.
type Report struct {
	Items []Item `json:"items"`
	// survey is the name of the sheet read as the survey, when it is not
	// "survey" (a workbook of one sheet), for the order of the items.
	survey string
}

// HasErrors reports whether the import was refused.
func (r *Report) HasErrors() bool {
	for _, it := range r.Items {
		if it.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns the items that refused the import.
func (r *Report) Errors() []Item { return r.filter(SeverityError) }

// Warnings returns the items about what was skipped or converted.
func (r *Report) Warnings() []Item { return r.filter(SeverityWarning) }

func (r *Report) filter(severity string) []Item {
	out := []Item{}
	for _, it := range r.Items {
		if it.Severity == severity {
			out = append(out, it)
		}
	}
	return out
}

// String lists the items one a line, for the command line.
func (r *Report) String() string {
	var b strings.Builder
	for _, it := range r.Items {
		where := it.Cell
		if where == "" {
			where = "workbook"
		}
		fmt.Fprintf(&b, "%-7s %-9s %s: %s\n", it.Severity, it.Action, where, it.Message)
	}
	return b.String()
}

// sort orders the items as a reader goes through the workbook: the
// workbook as a whole, then survey, choices and settings, row by row.
func (r *Report) sort() {
	rank := func(sheet string) int {
		switch strings.ToLower(strings.TrimSpace(sheet)) {
		case "":
			return 0
		case sheetSurvey, strings.ToLower(strings.TrimSpace(r.survey)):
			return 1
		case sheetChoices:
			return 2
		case sheetSettings:
			return 3
		}
		return 4
	}
	sort.SliceStable(r.Items, func(i, j int) bool {
		a, b := r.Items[i], r.Items[j]
		if ra, rb := rank(a.Sheet), rank(b.Sheet); ra != rb {
			return ra < rb
		}
		return a.Row < b.Row
	})
}

// at is where a report item points: a sheet, optionally a row, optionally
// a column of that row.
type at struct {
	sheet  string
	row    int
	column string // header as written
	letter string // spreadsheet column letter(s), with column
}

// cell renders a location as a spreadsheet reference.
func (a at) cell() string {
	switch {
	case a.sheet == "":
		return ""
	case a.row == 0 && a.letter != "":
		return a.sheet + "!" + a.letter
	case a.row == 0:
		return a.sheet
	case a.letter == "":
		return fmt.Sprintf("%s!%d", a.sheet, a.row)
	}
	return fmt.Sprintf("%s!%s%d", a.sheet, a.letter, a.row)
}

// add records one item.
func (r *Report) add(where at, severity, action, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if where.column != "" {
		msg = "column " + where.column + ": " + msg
	}
	r.Items = append(r.Items, Item{
		Sheet: where.sheet, Row: where.row, Column: where.column, Cell: where.cell(),
		Severity: severity, Action: action, Message: msg,
	})
}

// refuse records a problem that stops the import.
func (r *Report) refuse(where at, format string, args ...any) {
	r.add(where, SeverityError, ActionRefused, format, args...)
}

// skip records a construct left out of the questionnaire.
func (r *Report) skip(where at, format string, args ...any) {
	r.add(where, SeverityWarning, ActionSkipped, format, args...)
}

// convert records a construct imported in another shape.
func (r *Report) convert(where at, format string, args ...any) {
	r.add(where, SeverityWarning, ActionConverted, format, args...)
}

// Error is the error of a refused import. It carries the whole report, and
// unwraps to a *forms.ValidationError whose field paths are cell references
// ("survey!D7"), so that callers that render validation errors need nothing
// more.
type Error struct {
	Report *Report
}

// Error summarizes the refusal with its first problems.
func (e *Error) Error() string {
	errs := e.Report.Errors()
	parts := make([]string, 0, 3)
	for i, it := range errs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(errs)-3))
			break
		}
		where := it.Cell
		if where == "" {
			where = "workbook"
		}
		parts = append(parts, where+": "+it.Message)
	}
	return "the XLSForm was refused: " + strings.Join(parts, "; ")
}

// Unwrap returns the refusal as a validation error.
func (e *Error) Unwrap() error { return e.ValidationError() }

// ValidationError returns the refusal as a *forms.ValidationError whose
// field paths are cell references.
func (e *Error) ValidationError() *forms.ValidationError {
	errs := e.Report.Errors()
	ve := &forms.ValidationError{
		Message: fmt.Sprintf("the XLSForm was refused: %d problem(s) found", len(errs)),
	}
	for _, it := range errs {
		path := it.Cell
		if path == "" {
			path = "/file" // the workbook as a whole: the uploaded file
		}
		ve.Fields = append(ve.Fields, forms.FieldError{Path: path, Message: it.Message})
	}
	return ve
}

// NothingToAskMessage refuses a workbook none of whose rows is a question
// Agora asks (only locations, photos or calculations, say).
const NothingToAskMessage = "the form has no question Agora can ask"

// NothingToAsk reports whether the import was refused only because the
// form has nothing a web survey can ask: such forms are counted apart when
// a set of forms is measured.
func (r *Report) NothingToAsk() bool {
	errs := r.Errors()
	return len(errs) == 1 && errs[0].Message == NothingToAskMessage
}

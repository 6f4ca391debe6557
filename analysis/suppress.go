package analysis

import (
	"slices"
	"sort"

	"github.com/unodc-csu/agora/forms"
)

// Small cells are suppressed so that a small organization cannot be
// recognized in a breakdown. For everyone but admins of named and
// confidential consultations (forms.Access.Unsuppressed):
//
//  1. Primary suppression: a cell (a stakeholder type, a country) with at
//     least one but fewer respondents than the minimum cell size shows
//     {"suppressed": true} and no count. A selection smaller than the
//     minimum — a whole consultation, one stakeholder type asked for on its
//     own — is withheld entirely.
//  2. Complementary suppression: the total of a breakdown is shown, so the
//     total minus the visible cells would give away the suppressed ones.
//     While the suppressed cells together hold fewer respondents than the
//     minimum, the smallest visible cell is suppressed too (ties by code).
//     A lone suppressed cell thus always takes the next smallest with it,
//     and the difference never describes fewer than the minimum.
//  3. A filter on one stakeholder type uses the same decisions: a type
//     suppressed in the breakdown is suppressed on its own, otherwise the
//     overall figures minus the filtered ones would reveal the rest.
//  4. Aggregates over a chosen set of cells (a regional group in a
//     comparison, over the countries asked for) add up the visible cells
//     only, since the caller could otherwise difference two requests.
//  5. Texts written by respondents of a suppressed cell are listed without
//     their stakeholder type, in an order unrelated to time.
//  6. A question's figures (or a matrix row's) answered by fewer than the
//     minimum are withheld, since they would describe those few answers.
//  7. Response rates by stakeholder type follow the breakdown's decisions.
//
// Every withheld figure says which rule withheld it (SuppressedBy).
// Empty cells are not suppressed: there is nothing to reveal about nobody.

// Why a figure is withheld.
const (
	// SuppressedSelection: the whole selection is smaller than the minimum.
	SuppressedSelection = "selection"
	// SuppressedSmall: the group is smaller than the minimum.
	SuppressedSmall = "small_group"
	// SuppressedComplementary: the group is large enough, but hidden so
	// that a smaller one cannot be worked out from the totals.
	SuppressedComplementary = "complementary"
	// SuppressedFewAnswers: fewer than the minimum answered the question.
	SuppressedFewAnswers = "few_answers"
)

// disclosure is what a viewer may see of one breakdown.
type disclosure struct {
	exempt bool
	all    bool              // the whole selection is too small
	hidden map[string]string // suppressed cells, with the rule that hid them
	min    int
	// types is set when the cells are the stakeholder types, whose
	// decisions then apply to the options that name them.
	types bool
}

// newDisclosure decides the suppressed cells of a breakdown with the given
// respondents per cell and minimum cell size; an exempt viewer sees all.
func newDisclosure(exempt bool, cells map[string]int, minCell int) disclosure {
	d := disclosure{exempt: exempt, hidden: map[string]string{}, min: minCell, types: true}
	if exempt {
		return d
	}
	total := 0
	for _, n := range cells {
		total += n
	}
	d.all = total > 0 && total < minCell
	d.hidden = suppressCells(cells, minCell)
	return d
}

// suppressed reports whether the cell g is withheld.
func (d disclosure) suppressed(g string) bool {
	return !d.exempt && (d.all || d.hidden[g] != "")
}

// reason is the rule that withholds cell g, empty when it is shown.
func (d disclosure) reason(g string) string {
	switch {
	case d.exempt:
		return ""
	case d.all:
		return SuppressedSelection
	}
	return d.hidden[g]
}

// thin withholds figures answered by fewer than the minimum, and the
// matrix rows that are; f comes back as it is for an exempt viewer and
// for texts and dates, whose figure is the number of answers.
func (d disclosure) thin(f *Figures, typ string) *Figures {
	if d.exempt || f == nil || f.Suppressed {
		return f
	}
	switch typ {
	case forms.TypeText, forms.TypeLongText, forms.TypeDate, forms.TypeNote:
		return f
	}
	if f.Answered > 0 && f.Answered < d.min {
		return &Figures{Suppressed: true, SuppressedBy: SuppressedFewAnswers}
	}
	for i := range f.Rows {
		if r := &f.Rows[i]; r.Answered > 0 && r.Answered < d.min {
			*r = RowFigures{Code: r.Code, Label: r.Label, Themes: r.Themes, Suppressed: true, SuppressedBy: SuppressedFewAnswers}
		}
	}
	hidden := d.hidden
	if !d.types {
		// Without the breakdown's decisions (a comparison's cells), the
		// options that name stakeholder types are decided as a breakdown.
		cells := map[string]int{}
		for _, o := range f.Options {
			if slices.Contains(forms.StakeholderTypes, o.Code) {
				cells[o.Code] = o.Count
			}
		}
		hidden = suppressCells(cells, d.min)
	}
	for i := range f.Options {
		// An option naming a withheld stakeholder type counts that group.
		if o := &f.Options[i]; hidden[o.Code] != "" && o.Count > 0 {
			*o = OptionCount{Code: o.Code, Label: o.Label, Suppressed: true, SuppressedBy: hidden[o.Code]}
			if f.Indicator != nil && f.Indicator.Code == o.Code {
				f.Indicator = nil
			}
		}
	}
	return f
}

// suppressCells applies primary and complementary suppression.
func suppressCells(cells map[string]int, minCell int) map[string]string {
	hidden := map[string]string{}
	sum := 0
	var visible []string
	for g, n := range cells {
		switch {
		case n <= 0:
		case n < minCell:
			hidden[g] = SuppressedSmall
			sum += n
		default:
			visible = append(visible, g)
		}
	}
	if len(hidden) == 0 {
		return hidden
	}
	sort.Slice(visible, func(i, j int) bool {
		a, b := visible[i], visible[j]
		if cells[a] != cells[b] {
			return cells[a] < cells[b]
		}
		return a < b
	})
	for _, g := range visible {
		if sum >= minCell {
			break
		}
		hidden[g] = SuppressedComplementary
		sum += cells[g]
	}
	return hidden
}

package analysis

import "sort"

// Small cells are suppressed so that a small organization cannot be
// recognized in a breakdown. For everyone but admins:
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
//  5. Texts written by respondents of a suppressed cell are withheld.
//
// Empty cells are not suppressed: there is nothing to reveal about nobody.

// disclosure is what a viewer may see of one breakdown.
type disclosure struct {
	admin  bool
	all    bool            // the whole selection is too small
	hidden map[string]bool // suppressed cells
}

// newDisclosure decides the suppressed cells of a breakdown with the given
// respondents per cell and minimum cell size.
func newDisclosure(v Viewer, cells map[string]int, minCell int) disclosure {
	d := disclosure{admin: v.Admin, hidden: map[string]bool{}}
	if v.Admin {
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
	return !d.admin && (d.all || d.hidden[g])
}

// suppressCells applies primary and complementary suppression.
func suppressCells(cells map[string]int, minCell int) map[string]bool {
	hidden := map[string]bool{}
	sum := 0
	var visible []string
	for g, n := range cells {
		switch {
		case n <= 0:
		case n < minCell:
			hidden[g] = true
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
		hidden[g] = true
		sum += cells[g]
	}
	return hidden
}

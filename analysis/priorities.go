package analysis

import (
	"slices"
	"sort"

	"github.com/unodc-csu/agora/forms"
)

// PriorityTop is how many items a priority lists per ranking question.
const PriorityTop = 5

// priorities groups the ranking questions by the instrument (or other root
// theme, such as the cross-cutting themes) of their tags, and lists each
// question's top items with Kendall's W. A question tagged with several
// instruments appears under each; one without themes, under an empty theme.
func priorities(tx *taxonomy, qs []*QuestionSummary, lang string) []Priority {
	byRoot := map[string]*Priority{}
	roots := []string{}
	for _, q := range qs {
		if q.Type != forms.TypeRanking {
			continue
		}
		pq := priorityQuestion(q)
		for _, root := range questionRoots(tx, q.Themes) {
			p := byRoot[root]
			if p == nil {
				p = &Priority{Theme: root, Name: tx.name(root, lang)}
				if root == "" {
					p.Name = ""
				}
				byRoot[root] = p
				roots = append(roots, root)
			}
			p.Questions = append(p.Questions, pq)
		}
	}
	sort.SliceStable(roots, func(i, j int) bool { return themePosition(tx, roots[i]) < themePosition(tx, roots[j]) })
	out := make([]Priority, 0, len(roots))
	for _, r := range roots {
		out = append(out, *byRoot[r])
	}
	return out
}

func priorityQuestion(q *QuestionSummary) PriorityQuestion {
	pq := PriorityQuestion{Question: q.Code, Label: q.Label}
	f := q.Overall
	if f == nil || f.Suppressed || f.Ranking == nil {
		pq.Suppressed = f == nil || f.Suppressed
		if f != nil {
			pq.SuppressedBy = f.SuppressedBy
		}
		return pq
	}
	pq.Answered, pq.KendallW = f.Answered, f.Ranking.KendallW
	for _, it := range f.Ranking.Items {
		if len(pq.Top) == PriorityTop || it.Ranked == 0 {
			break
		}
		pq.Top = append(pq.Top, it)
	}
	return pq
}

// questionRoots lists the distinct roots of a question's themes.
func questionRoots(tx *taxonomy, themes []string) []string {
	var out []string
	for _, t := range themes {
		if tx.byCode[t] == nil {
			continue
		}
		if r := tx.root(t); !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// themePosition orders roots as the taxonomy does, the untagged last.
func themePosition(tx *taxonomy, code string) int {
	if t := tx.byCode[code]; t != nil {
		return t.Position
	}
	return 1 << 30
}

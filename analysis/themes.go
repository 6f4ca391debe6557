package analysis

import (
	"context"
	"slices"
	"sort"

	"github.com/unodc-csu/agora/forms"
)

// taxonomy is the theme hierarchy, loaded whole: a few dozen rows of
// reference data.
type taxonomy struct {
	byCode map[string]*forms.Theme
}

func (a *Analyzer) taxonomy(ctx context.Context) (*taxonomy, error) {
	var themes []forms.Theme
	if err := a.db.WithContext(ctx).Order("position, code").Find(&themes).Error; err != nil {
		return nil, err
	}
	tx := &taxonomy{byCode: make(map[string]*forms.Theme, len(themes))}
	for i := range themes {
		tx.byCode[themes[i].Code] = &themes[i]
	}
	return tx, nil
}

// ancestors lists a theme's ancestors, nearest first.
func (tx *taxonomy) ancestors(code string) []string {
	var out []string
	for t := tx.byCode[code]; t != nil && t.ParentCode != nil; t = tx.byCode[*t.ParentCode] {
		if slices.Contains(out, *t.ParentCode) {
			break // a cycle in hand-edited seed data: stop rather than loop
		}
		out = append(out, *t.ParentCode)
	}
	return out
}

// root is the top of a theme's branch: its instrument, or the root of the
// cross-cutting themes or of the working groups.
func (tx *taxonomy) root(code string) string {
	if up := tx.ancestors(code); len(up) > 0 {
		return up[len(up)-1]
	}
	return code
}

// mostSpecific drops the tags that are ancestors of another tag of the
// same list, and tags the taxonomy does not know.
func (tx *taxonomy) mostSpecific(tags []string) []string {
	var out []string
	for _, t := range tags {
		if tx.byCode[t] == nil || slices.Contains(out, t) {
			continue
		}
		covered := slices.ContainsFunc(tags, func(other string) bool {
			return other != t && slices.Contains(tx.ancestors(other), t)
		})
		if !covered {
			out = append(out, t)
		}
	}
	return out
}

func (tx *taxonomy) name(code, lang string) string {
	t := tx.byCode[code]
	if t == nil {
		return code
	}
	if n := t.Names[lang]; n != "" {
		return n
	}
	return t.Name
}

// tree places every question (and every matrix row with themes of its own)
// under its most specific themes, and nests those themes under their
// ancestors, in taxonomy order.
func (tx *taxonomy) tree(qs []*question, lang string) []*ThemeNode {
	nodes := map[string]*ThemeNode{}
	var node func(code string) *ThemeNode
	node = func(code string) *ThemeNode {
		if n := nodes[code]; n != nil {
			return n
		}
		t := tx.byCode[code]
		n := &ThemeNode{Code: code, Kind: t.Kind, Name: tx.name(code, lang), position: t.Position}
		nodes[code] = n
		if t.ParentCode != nil && tx.byCode[*t.ParentCode] != nil {
			parent := node(*t.ParentCode)
			parent.Children = append(parent.Children, n)
		}
		return n
	}
	for _, q := range qs {
		for _, code := range tx.mostSpecific(q.info.Themes) {
			n := node(code)
			n.Items = append(n.Items, ThemeItem{Question: q.info.Code})
		}
		for _, r := range q.rows {
			for _, code := range tx.mostSpecific(r.themes) {
				n := node(code)
				n.Items = append(n.Items, ThemeItem{Question: q.info.Code, Row: r.code})
			}
		}
	}
	var roots []*ThemeNode
	for code, n := range nodes {
		if t := tx.byCode[code]; t.ParentCode == nil || tx.byCode[*t.ParentCode] == nil {
			roots = append(roots, n)
		}
	}
	sortNodes(roots)
	return roots
}

func sortNodes(ns []*ThemeNode) {
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].position != ns[j].position {
			return ns[i].position < ns[j].position
		}
		return ns[i].Code < ns[j].Code
	})
	for _, n := range ns {
		sortNodes(n.Children)
	}
}

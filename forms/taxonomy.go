package forms

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
)

// seedFS holds the reference data shipped with Agora, editable without
// touching code: the theme taxonomy and the country list.
//
//go:embed seed
var seedFS embed.FS

// Theme kinds: the levels of the taxonomy.
const (
	ThemeInstrument   = "instrument"    // the Convention or one of its Protocols
	ThemeCluster      = "cluster"       // a review cluster of one instrument
	ThemeArticle      = "article"       // an article of one instrument, under its cluster
	ThemeCrosscutting = "crosscutting"  // a theme that cuts across instruments
	ThemeWorkingGroup = "working_group" // a working group of the Conference of the Parties
)

// ThemeKinds lists every kind a theme may have.
var ThemeKinds = []string{ThemeInstrument, ThemeCluster, ThemeArticle, ThemeCrosscutting, ThemeWorkingGroup}

// Theme is one node of the theme taxonomy, the key by which answers are
// aggregated: an instrument (UNTOC, TIP, SOM, FA), a review cluster of an
// instrument (UNTOC.C1), an article (UNTOC.ART5), a cross-cutting theme
// (XC.GENDER) or a working group (WG.IC). The taxonomy is seed data
// (seed/themes.json), not logic: what the review documents leave open, such
// as the cluster of most articles and the phase order, is marked Provisional
// and may be edited without touching code.
type Theme struct {
	Code        string  `gorm:"primaryKey;size:64" json:"code"`
	ParentCode  *string `gorm:"size:64;index" json:"parent,omitempty"`
	Kind        string  `gorm:"size:32;not null" json:"kind"`           // instrument, cluster, article, crosscutting, working_group
	Name        string  `gorm:"size:300;not null" json:"name"`          // English name
	Names       Text    `gorm:"serializer:json" json:"names,omitempty"` // other languages, where known
	ShortName   string  `gorm:"size:120" json:"short_name,omitempty"`
	Instrument  string  `gorm:"size:16" json:"instrument,omitempty"` // UNTOC/TIP/SOM/FA for instrument, cluster, article
	Cluster     string  `gorm:"size:8" json:"cluster,omitempty"`     // C1..C4 for clusters and articles
	Article     int     `json:"article,omitempty"`
	PhaseOrder  int     `json:"phase_order,omitempty"` // the review phase order of a cluster
	Provisional bool    `json:"provisional,omitempty"` // not confirmed against primary documents
	Position    int     `json:"position"`              // display order among siblings
}

// TableName names the table that holds the taxonomy.
func (Theme) TableName() string { return "themes" }

// ThemeNode is a theme with its children, for showing the taxonomy as a
// tree. Its JSON is the theme's own fields plus "children".
type ThemeNode struct {
	Theme
	Children []*ThemeNode `json:"children,omitempty"`
}

var (
	themeCodePattern   = regexp.MustCompile(`^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$`)
	clusterCodePattern = regexp.MustCompile(`^C[1-9]$`)
)

// SeedThemes returns the taxonomy shipped with Agora (seed/themes.json),
// parents before their children, after checking it with ValidateThemes.
func SeedThemes() ([]Theme, error) {
	raw, err := seedFS.ReadFile("seed/themes.json")
	if err != nil {
		return nil, err
	}
	themes, err := decodeThemes(raw)
	if err != nil {
		return nil, fmt.Errorf("seed/themes.json: %w", err)
	}
	if err := ValidateThemes(themes); err != nil {
		return nil, fmt.Errorf("seed/themes.json: %w", err)
	}
	return themes, nil
}

// decodeThemes decodes a JSON list of themes, refusing unknown fields so that
// a misspelt key in hand-edited seed data is an error, not a silent zero.
func decodeThemes(raw []byte) ([]Theme, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var themes []Theme
	if err := dec.Decode(&themes); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the list of themes")
	}
	return themes, nil
}

// ValidateThemes checks a flat taxonomy: codes well formed and unique, kinds
// known, every parent listed before its children, and the hierarchy
// instrument > cluster > article consistent in its instrument, cluster and
// article fields. It returns a *ValidationError whose paths index the list.
func ValidateThemes(themes []Theme) error {
	verr := &ValidationError{Message: "invalid theme taxonomy"}
	seen := make(map[string]*Theme, len(themes))
	articles := map[string]string{} // "instrument/article" → theme code
	for i := range themes {
		t := &themes[i]
		path := "/" + strconv.Itoa(i)
		validateTheme(verr, path, t, seen)
		if t.Kind == ThemeArticle && t.Article > 0 {
			key := t.Instrument + "/" + strconv.Itoa(t.Article)
			if other, dup := articles[key]; dup {
				verr.Add(path+"/article", "article %d of %s is already theme %s", t.Article, t.Instrument, other)
			}
			articles[key] = t.Code
		}
		if _, dup := seen[t.Code]; dup {
			verr.Add(path+"/code", "duplicate theme code %q", t.Code)
			continue
		}
		seen[t.Code] = t
	}
	return verr.OrNil()
}

// validateTheme checks one theme against the themes listed before it.
func validateTheme(verr *ValidationError, path string, t *Theme, before map[string]*Theme) {
	if !themeCodePattern.MatchString(t.Code) {
		verr.Add(path+"/code", "theme code %q must be upper-case letters, digits and underscores, in dot-separated parts", t.Code)
	}
	if t.Name == "" {
		verr.Add(path+"/name", "a theme needs an English name")
	}
	var parent *Theme
	if t.ParentCode != nil {
		if parent = before[*t.ParentCode]; parent == nil {
			verr.Add(path+"/parent", "parent %q is not listed before %q", *t.ParentCode, t.Code)
		}
	}
	switch t.Kind {
	case ThemeInstrument:
		if parent != nil || t.ParentCode != nil {
			verr.Add(path+"/parent", "an instrument is a root of the taxonomy")
		}
		if t.Instrument != t.Code {
			verr.Add(path+"/instrument", "an instrument's instrument field must be its own code %q", t.Code)
		}
	case ThemeCluster:
		checkThemeParent(verr, path, parent, ThemeInstrument)
		checkThemeInstrument(verr, path, t, parent)
		if !clusterCodePattern.MatchString(t.Cluster) {
			verr.Add(path+"/cluster", "cluster %q must be C1, C2...", t.Cluster)
		}
		if t.PhaseOrder < 1 {
			verr.Add(path+"/phase_order", "a cluster needs a phase order of 1 or more")
		}
	case ThemeArticle:
		checkThemeParent(verr, path, parent, ThemeCluster)
		checkThemeInstrument(verr, path, t, parent)
		if parent != nil && parent.Kind == ThemeCluster && t.Cluster != parent.Cluster {
			verr.Add(path+"/cluster", "cluster %q differs from that of parent %s (%q)", t.Cluster, parent.Code, parent.Cluster)
		}
		if t.Article < 1 {
			verr.Add(path+"/article", "an article theme needs its article number")
		}
	case ThemeCrosscutting, ThemeWorkingGroup:
		if parent != nil && parent.Kind != t.Kind {
			verr.Add(path+"/parent", "a %s theme must sit under another %s theme, not under %s (of kind %s)", t.Kind, t.Kind, parent.Code, parent.Kind)
		}
	default:
		verr.Add(path+"/kind", "unknown theme kind %q (known: %v)", t.Kind, ThemeKinds)
	}
}

// checkThemeParent requires a parent of the given kind.
func checkThemeParent(verr *ValidationError, path string, parent *Theme, kind string) {
	if parent != nil && parent.Kind != kind {
		verr.Add(path+"/parent", "parent %s is of kind %s, not %s", parent.Code, parent.Kind, kind)
	}
}

// checkThemeInstrument requires the instrument field to match the parent's.
func checkThemeInstrument(verr *ValidationError, path string, t, parent *Theme) {
	if t.ParentCode == nil {
		verr.Add(path+"/parent", "a %s theme needs a parent", t.Kind)
		return
	}
	if parent != nil && t.Instrument != parent.Instrument {
		verr.Add(path+"/instrument", "instrument %q differs from that of parent %s (%q)", t.Instrument, parent.Code, parent.Instrument)
	}
}

// ThemeTree arranges a flat list of themes, in any order, as a forest,
// siblings ordered by Position then Code. A theme whose parent is not in the
// list becomes a root, so a filtered list still yields a tree. The list is
// expected to pass ValidateThemes: themes caught in a cycle of parents are
// left out.
func ThemeTree(themes []Theme) []*ThemeNode {
	nodes := make(map[string]*ThemeNode, len(themes))
	for _, t := range themes {
		nodes[t.Code] = &ThemeNode{Theme: t}
	}
	var roots []*ThemeNode
	placed := make(map[string]bool, len(themes))
	for _, t := range themes {
		if placed[t.Code] {
			continue // a duplicate code: the last one listed stands
		}
		placed[t.Code] = true
		n := nodes[t.Code]
		t := n.Theme
		if t.ParentCode != nil {
			if p := nodes[*t.ParentCode]; p != nil && p != n {
				p.Children = append(p.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	sortThemeNodes(roots)
	return roots
}

// sortThemeNodes orders siblings, then their children, recursively.
func sortThemeNodes(nodes []*ThemeNode) {
	sort.SliceStable(nodes, func(i, j int) bool {
		if nodes[i].Position != nodes[j].Position {
			return nodes[i].Position < nodes[j].Position
		}
		return nodes[i].Code < nodes[j].Code
	})
	for _, n := range nodes {
		sortThemeNodes(n.Children)
	}
}

// KnownThemes returns a lookup of the codes of themes, in the shape that
// Compile takes to check the themes a questionnaire refers to.
func KnownThemes(themes []Theme) func(code string) bool {
	known := make(map[string]bool, len(themes))
	for _, t := range themes {
		known[t.Code] = true
	}
	return func(code string) bool { return known[code] }
}

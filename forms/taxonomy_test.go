package forms

import (
	"encoding/json"
	"errors"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func mustSeedThemes(t *testing.T) []Theme {
	t.Helper()
	themes, err := SeedThemes()
	if err != nil {
		t.Fatalf("SeedThemes: %v", err)
	}
	return themes
}

func codePtr(s string) *string { return &s }

func TestSeedThemesCounts(t *testing.T) {
	themes := mustSeedThemes(t)
	if len(themes) != 69 {
		t.Errorf("got %d themes, want 69", len(themes))
	}
	kinds := map[string]int{}
	for _, th := range themes {
		kinds[th.Kind]++
	}
	want := map[string]int{
		ThemeInstrument:   4,
		ThemeCluster:      16, // four clusters for each of the four instruments
		ThemeArticle:      35,
		ThemeCrosscutting: 8, // XC and its seven themes
		ThemeWorkingGroup: 6, // WG and its five groups
	}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("themes per kind = %v, want %v", kinds, want)
	}
}

func TestSeedThemesEntries(t *testing.T) {
	byCode := map[string]Theme{}
	for _, th := range mustSeedThemes(t) {
		byCode[th.Code] = th
	}
	tests := []struct {
		code string
		want Theme
	}{
		{"UNTOC", Theme{Code: "UNTOC", Kind: ThemeInstrument,
			Name:      "United Nations Convention against Transnational Organized Crime",
			Names:     Text{"fr": "Convention des Nations Unies contre la criminalité transnationale organisée"},
			ShortName: "Organized Crime Convention", Instrument: "UNTOC", Position: 1}},
		{"FA", Theme{Code: "FA", Kind: ThemeInstrument,
			Name:      "Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their Parts and Components and Ammunition",
			Names:     Text{"fr": "Protocole contre la fabrication et le trafic illicites d’armes à feu, de leurs pièces, éléments et munitions"},
			ShortName: "Firearms Protocol", Instrument: "FA", Position: 4}},
		{"UNTOC.C1", Theme{Code: "UNTOC.C1", ParentCode: codePtr("UNTOC"), Kind: ThemeCluster,
			Name: "Criminalization and jurisdiction", Names: Text{"fr": "Incrimination et compétence"},
			Instrument: "UNTOC", Cluster: "C1", PhaseOrder: 1, Provisional: true, Position: 1}},
		{"SOM.C4", Theme{Code: "SOM.C4", ParentCode: codePtr("SOM"), Kind: ThemeCluster,
			Name:       "International cooperation, mutual legal assistance and extradition, seizure and confiscation",
			Names:      Text{"fr": "Coopération internationale, entraide judiciaire et extradition, saisie et confiscation"},
			Instrument: "SOM", Cluster: "C4", PhaseOrder: 4, Provisional: true, Position: 4}},
		{"UNTOC.ART5", Theme{Code: "UNTOC.ART5", ParentCode: codePtr("UNTOC.C1"), Kind: ThemeArticle,
			Name:      "Criminalization of participation in an organized criminal group",
			Names:     Text{"fr": "Incrimination de la participation à un groupe criminel organisé"},
			ShortName: "Art. 5", Instrument: "UNTOC", Cluster: "C1", Article: 5, Position: 2}},
		{"UNTOC.ART23", Theme{Code: "UNTOC.ART23", ParentCode: codePtr("UNTOC.C1"), Kind: ThemeArticle,
			Name:      "Criminalization of obstruction of justice",
			Names:     Text{"fr": "Incrimination de l’entrave au bon fonctionnement de la justice"},
			ShortName: "Art. 23", Instrument: "UNTOC", Cluster: "C1", Article: 23, Position: 8}},
		{"UNTOC.ART7", Theme{Code: "UNTOC.ART7", ParentCode: codePtr("UNTOC.C3"), Kind: ThemeArticle,
			Name:      "Measures to combat money-laundering",
			Names:     Text{"fr": "Mesures de lutte contre le blanchiment d’argent"},
			ShortName: "Art. 7", Instrument: "UNTOC", Cluster: "C3", Article: 7, Provisional: true, Position: 1}},
		{"UNTOC.ART18", Theme{Code: "UNTOC.ART18", ParentCode: codePtr("UNTOC.C4"), Kind: ThemeArticle,
			Name: "Mutual legal assistance", Names: Text{"fr": "Entraide judiciaire"},
			ShortName: "Art. 18", Instrument: "UNTOC", Cluster: "C4", Article: 18, Provisional: true, Position: 6}},
		{"TIP.ART5", Theme{Code: "TIP.ART5", ParentCode: codePtr("TIP.C1"), Kind: ThemeArticle,
			Name: "Criminalization", Names: Text{"fr": "Incrimination"},
			ShortName: "Art. 5", Instrument: "TIP", Cluster: "C1", Article: 5, Position: 2}},
		{"FA.ART3", Theme{Code: "FA.ART3", ParentCode: codePtr("FA.C1"), Kind: ThemeArticle,
			Name: "Definitions", Names: Text{"fr": "Définitions"},
			ShortName: "Art. 3", Instrument: "FA", Cluster: "C1", Article: 3, Provisional: true, Position: 1}},
		{"XC", Theme{Code: "XC", Kind: ThemeCrosscutting, Name: "Cross-cutting themes",
			Names: Text{"fr": "Thèmes transversaux"}, Position: 5}},
		{"XC.CYBERCRIME", Theme{Code: "XC.CYBERCRIME", ParentCode: codePtr("XC"), Kind: ThemeCrosscutting,
			Name: "Cybercrime and emerging crimes", Names: Text{"fr": "Cybercriminalité et formes nouvelles de criminalité"}, Position: 6}},
		{"XC.CHILDREN_YOUTH", Theme{Code: "XC.CHILDREN_YOUTH", ParentCode: codePtr("XC"), Kind: ThemeCrosscutting,
			Name: "Children and youth", Names: Text{"fr": "Enfants et jeunes", "es": "Niños, niñas y jóvenes"}, Position: 7}},
		{"WG.TA", Theme{Code: "WG.TA", ParentCode: codePtr("WG"), Kind: ThemeWorkingGroup,
			Name:      "Working Group of Government Experts on Technical Assistance",
			Names:     Text{"fr": "Groupe de travail d’experts gouvernementaux sur l’assistance technique"},
			ShortName: "WG-TA", Position: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, ok := byCode[tt.code]
			if !ok {
				t.Fatalf("theme %s missing", tt.code)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestSeedThemesArticles pins the articles of each cluster to the lists of
// DOMAIN.md, and which of them are provisional.
func TestSeedThemesArticles(t *testing.T) {
	got := map[string][]int{}
	provisional := map[string]bool{}
	for _, th := range mustSeedThemes(t) {
		if th.Kind != ThemeArticle {
			continue
		}
		got[*th.ParentCode] = append(got[*th.ParentCode], th.Article)
		if th.Provisional {
			provisional[*th.ParentCode] = true
		} else if provisional[*th.ParentCode] {
			t.Errorf("%s mixes confirmed and provisional articles", *th.ParentCode)
		}
	}
	tests := []struct {
		cluster     string
		articles    []int
		provisional bool
	}{
		{"UNTOC.C1", []int{2, 5, 6, 8, 9, 10, 15, 23}, false},
		{"UNTOC.C2", []int{25, 28, 29, 30, 31}, true},
		{"UNTOC.C3", []int{7, 11, 19, 20, 22, 24, 26, 27}, true},
		{"UNTOC.C4", []int{12, 13, 14, 16, 17, 18, 21}, true},
		{"TIP.C1", []int{3, 5}, false},
		{"SOM.C1", []int{3, 5, 6}, false},
		{"FA.C1", []int{3, 5}, true},
	}
	total := 0
	for _, tt := range tests {
		t.Run(tt.cluster, func(t *testing.T) {
			if !slices.Equal(got[tt.cluster], tt.articles) {
				t.Errorf("articles = %v, want %v (in order)", got[tt.cluster], tt.articles)
			}
			if provisional[tt.cluster] != tt.provisional {
				t.Errorf("provisional = %v, want %v", provisional[tt.cluster], tt.provisional)
			}
		})
		total += len(tt.articles)
	}
	if len(got) != len(tests) || total != 35 {
		t.Errorf("articles sit under %d clusters (want %d), %d listed here", len(got), len(tests), total)
	}
}

func TestValidateThemes(t *testing.T) {
	valid := func() []Theme {
		return []Theme{
			{Code: "UNTOC", Kind: ThemeInstrument, Name: "Convention", Instrument: "UNTOC"},
			{Code: "UNTOC.C1", ParentCode: codePtr("UNTOC"), Kind: ThemeCluster, Name: "C1", Instrument: "UNTOC", Cluster: "C1", PhaseOrder: 1},
			{Code: "UNTOC.ART5", ParentCode: codePtr("UNTOC.C1"), Kind: ThemeArticle, Name: "Art 5", Instrument: "UNTOC", Cluster: "C1", Article: 5},
			{Code: "XC", Kind: ThemeCrosscutting, Name: "Cross-cutting"},
			{Code: "XC.GENDER", ParentCode: codePtr("XC"), Kind: ThemeCrosscutting, Name: "Gender"},
		}
	}
	tests := []struct {
		name   string
		change func([]Theme) []Theme
		paths  []string // the paths of the expected errors, in order
	}{
		{"valid", func(ts []Theme) []Theme { return ts }, nil},
		{"duplicate code", func(ts []Theme) []Theme {
			return append(ts, Theme{Code: "XC.GENDER", ParentCode: codePtr("XC"), Kind: ThemeCrosscutting, Name: "Again"})
		}, []string{"/5/code"}},
		{"unknown parent", func(ts []Theme) []Theme { ts[4].ParentCode = codePtr("XX"); return ts }, []string{"/4/parent"}},
		{"parent listed after child", func(ts []Theme) []Theme {
			ts[3], ts[4] = ts[4], ts[3]
			return ts
		}, []string{"/3/parent"}},
		{"unknown kind", func(ts []Theme) []Theme { ts[3].Kind = "topic"; return ts }, []string{"/3/kind", "/4/parent"}},
		{"malformed code", func(ts []Theme) []Theme { ts[3].Code = "xc"; ts[4].ParentCode = codePtr("xc"); return ts }, []string{"/3/code"}},
		{"missing name", func(ts []Theme) []Theme { ts[0].Name = ""; return ts }, []string{"/0/name"}},
		{"instrument with a parent", func(ts []Theme) []Theme { ts[0].ParentCode = codePtr("XC"); return ts }, []string{"/0/parent", "/0/parent"}},
		{"cluster without phase order", func(ts []Theme) []Theme { ts[1].PhaseOrder = 0; return ts }, []string{"/1/phase_order"}},
		{"cluster code malformed", func(ts []Theme) []Theme { ts[1].Cluster = "X"; ts[2].Cluster = "X"; return ts }, []string{"/1/cluster"}},
		{"article under an instrument", func(ts []Theme) []Theme { ts[2].ParentCode = codePtr("UNTOC"); return ts }, []string{"/2/parent"}},
		{"article of another instrument", func(ts []Theme) []Theme { ts[2].Instrument = "TIP"; return ts }, []string{"/2/instrument"}},
		{"article without number", func(ts []Theme) []Theme { ts[2].Article = 0; return ts }, []string{"/2/article"}},
		{"article listed twice", func(ts []Theme) []Theme {
			return append(ts, Theme{Code: "UNTOC.ART5B", ParentCode: codePtr("UNTOC.C1"), Kind: ThemeArticle, Name: "Art 5 again", Instrument: "UNTOC", Cluster: "C1", Article: 5})
		}, []string{"/5/article"}},
		{"cross-cutting under a working group", func(ts []Theme) []Theme {
			return append(ts, Theme{Code: "WG", Kind: ThemeWorkingGroup, Name: "WG"},
				Theme{Code: "WG.X", ParentCode: codePtr("WG"), Kind: ThemeCrosscutting, Name: "X"})
		}, []string{"/6/parent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateThemes(tt.change(valid()))
			if tt.paths == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			var paths []string
			for _, f := range verr.Fields {
				paths = append(paths, f.Path)
			}
			if !slices.Equal(paths, tt.paths) {
				t.Errorf("error paths = %v, want %v (%v)", paths, tt.paths, err)
			}
		})
	}
}

func TestDecodeThemesRejectsUnknownFields(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"unknown field", `[{"code":"XC","kind":"crosscutting","name":"X","position":1,"colour":"red"}]`},
		{"trailing data", `[{"code":"XC","kind":"crosscutting","name":"X"}] []`},
		{"not a list", `{"code":"XC"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if themes, err := decodeThemes([]byte(tt.raw)); err == nil {
				t.Errorf("decoded %+v, want an error", themes)
			}
		})
	}
}

func nodeCodes(nodes []*ThemeNode) []string {
	var cs []string
	for _, n := range nodes {
		cs = append(cs, n.Code)
	}
	return cs
}

func TestThemeTree(t *testing.T) {
	themes := mustSeedThemes(t)
	shuffled := slices.Clone(themes)
	rand.New(rand.NewSource(1)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	for name, input := range map[string][]Theme{"seed order": themes, "shuffled": shuffled} {
		t.Run(name, func(t *testing.T) {
			roots := ThemeTree(input)
			if got, want := nodeCodes(roots), []string{"UNTOC", "TIP", "SOM", "FA", "XC", "WG"}; !slices.Equal(got, want) {
				t.Fatalf("roots = %v, want %v", got, want)
			}
			untoc := roots[0]
			if got, want := nodeCodes(untoc.Children), []string{"UNTOC.C1", "UNTOC.C2", "UNTOC.C3", "UNTOC.C4"}; !slices.Equal(got, want) {
				t.Errorf("UNTOC children = %v, want %v", got, want)
			}
			want := []string{"UNTOC.ART2", "UNTOC.ART5", "UNTOC.ART6", "UNTOC.ART8", "UNTOC.ART9", "UNTOC.ART10", "UNTOC.ART15", "UNTOC.ART23"}
			if got := nodeCodes(untoc.Children[0].Children); !slices.Equal(got, want) {
				t.Errorf("UNTOC.C1 children = %v, want %v", got, want)
			}
			if got, want := nodeCodes(roots[5].Children), []string{"WG.IC", "WG.TA", "WG.TIP", "WG.SOM", "WG.FA"}; !slices.Equal(got, want) {
				t.Errorf("WG children = %v, want %v", got, want)
			}
			if n := countNodes(roots); n != len(themes) {
				t.Errorf("tree holds %d themes, want %d", n, len(themes))
			}
		})
	}
}

func countNodes(nodes []*ThemeNode) int {
	n := len(nodes)
	for _, c := range nodes {
		n += countNodes(c.Children)
	}
	return n
}

func TestThemeTreeOrphansAndOrder(t *testing.T) {
	themes := []Theme{
		{Code: "XC.B", ParentCode: codePtr("XC"), Kind: ThemeCrosscutting, Name: "B", Position: 1},
		{Code: "XC.A", ParentCode: codePtr("XC"), Kind: ThemeCrosscutting, Name: "A", Position: 1},
		{Code: "UNTOC.ART5", ParentCode: codePtr("UNTOC.C1"), Kind: ThemeArticle, Name: "Orphan", Position: 9},
		{Code: "XC", Kind: ThemeCrosscutting, Name: "XC", Position: 2},
	}
	roots := ThemeTree(themes)
	if got, want := nodeCodes(roots), []string{"XC", "UNTOC.ART5"}; !slices.Equal(got, want) {
		t.Fatalf("roots = %v, want %v", got, want)
	}
	if got, want := nodeCodes(roots[0].Children), []string{"XC.A", "XC.B"}; !slices.Equal(got, want) {
		t.Errorf("children = %v, want %v (equal positions order by code)", got, want)
	}
}

func TestThemeNodeJSON(t *testing.T) {
	node := ThemeNode{
		Theme: Theme{Code: "XC", Kind: ThemeCrosscutting, Name: "Cross-cutting themes", Position: 5},
		Children: []*ThemeNode{{Theme: Theme{Code: "XC.GENDER", ParentCode: codePtr("XC"),
			Kind: ThemeCrosscutting, Name: "Gender", Names: Text{"fr": "Genre"}, Position: 1}}},
	}
	raw, err := json.Marshal(node)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"XC","kind":"crosscutting","name":"Cross-cutting themes","position":5,"children":[` +
		`{"code":"XC.GENDER","parent":"XC","kind":"crosscutting","name":"Gender","names":{"fr":"Genre"},"position":1}]}`
	if string(raw) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", raw, want)
	}
}

func TestKnownThemes(t *testing.T) {
	known := KnownThemes(mustSeedThemes(t))
	tests := []struct {
		code string
		want bool
	}{
		{"UNTOC", true}, {"UNTOC.C1", true}, {"UNTOC.ART5", true}, {"TIP.ART5", true},
		{"XC.GENDER", true}, {"WG.IC", true},
		{"UNTOC.ART1", false}, {"untoc", false}, {"", false}, {"TIP.ART6", false},
	}
	for _, tt := range tests {
		if got := known(tt.code); got != tt.want {
			t.Errorf("known(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestSeedThemesFrenchNames(t *testing.T) {
	for _, th := range mustSeedThemes(t) {
		if strings.TrimSpace(th.Names["fr"]) == "" {
			t.Errorf("%s has no French name", th.Code)
		}
		if _, ok := th.Names["en"]; ok {
			t.Errorf("%s repeats its English name in Names", th.Code)
		}
	}
}

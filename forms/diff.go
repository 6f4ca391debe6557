package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Properties a Change can be about. Label-like properties (title, label,
// hint) are compared language by language; options, scale points and
// matrix rows item by item, joined by their code (a scale point by its
// value).
const (
	PropTitle      = "title"
	PropLanguages  = "languages"
	PropLabel      = "label"
	PropHint       = "hint"
	PropType       = "type"
	PropRequired   = "required"
	PropThemes     = "themes"
	PropRelevant   = "relevant"
	PropConstraint = "constraint"
	PropSection    = "section"
	PropOptions    = "options"
	PropScale      = "scale"
	PropRows       = "rows"
	PropMin        = "min"
	PropMax        = "max"
	PropMaxLength  = "max_length"
)

// Kinds of Change.
const (
	ChangeAdded      = "added"
	ChangeRemoved    = "removed"
	ChangeRelabelled = "relabelled"
	ChangeModified   = "changed"
)

// Change is one difference of one property. Item names the option, scale
// point or row it is about; Lang the language of a text that changed.
// Before and After are the values as written in the definitions ("" when
// absent), lists joined by ", ", booleans as "true" or "false".
type Change struct {
	Property string
	Kind     string
	Item     string
	Lang     string
	Before   string
	After    string
}

// QuestionRef names a question added or removed, with where it stands.
type QuestionRef struct {
	Code    string
	Section string
	Type    string
	Label   Text
}

// QuestionChange is a question present in both versions that differs.
type QuestionChange struct {
	Code    string
	Section string // its section in the newer definition
	Label   Text   // its label in the newer definition
	Changes []Change
}

// SectionChange is a section added, removed, or with a changed title or
// skip rule. Questions moving between sections are told on the questions.
type SectionChange struct {
	Code    string
	Kind    string
	Title   Text
	Changes []Change
}

// DefinitionDiff is what changed from one definition (A) to another (B)
// of the same questionnaire: questions are joined by code, so a question
// renamed to a new code shows as one removed and one added.
type DefinitionDiff struct {
	Code     string
	From, To int // the versions compared
	// Changes are about the questionnaire as a whole: title, languages.
	Changes  []Change
	Sections []SectionChange
	Added    []QuestionRef // in B's order
	Removed  []QuestionRef // in A's order
	Changed  []QuestionChange
}

// Empty reports whether the two definitions ask the same questions the
// same way.
func (d DefinitionDiff) Empty() bool {
	return len(d.Changes) == 0 && len(d.Sections) == 0 && len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Diff compares definition a with b, b being taken as the newer. It does
// not check that they share a code: comparing two questionnaires is
// allowed, only rarely useful.
func Diff(a, b *Definition) DefinitionDiff {
	d := DefinitionDiff{Code: b.Code, From: a.Version, To: b.Version}
	d.Changes = append(d.Changes, diffText(PropTitle, a.Title, b.Title)...)
	if added, removed := listDelta(a.Languages, b.Languages); len(added)+len(removed) > 0 {
		d.Changes = append(d.Changes, Change{Property: PropLanguages, Kind: ChangeModified,
			Before: strings.Join(a.Languages, ", "), After: strings.Join(b.Languages, ", ")})
	}
	d.Sections = diffSections(a, b)

	type placed struct {
		q       *Question
		section string
	}
	index := func(def *Definition) (map[string]placed, []placed) {
		m, order := map[string]placed{}, []placed{}
		for si := range def.Sections {
			for qi := range def.Sections[si].Questions {
				p := placed{&def.Sections[si].Questions[qi], def.Sections[si].Code}
				m[p.q.Code] = p
				order = append(order, p)
			}
		}
		return m, order
	}
	inA, orderA := index(a)
	inB, orderB := index(b)
	for _, p := range orderA {
		if _, ok := inB[p.q.Code]; !ok {
			d.Removed = append(d.Removed, QuestionRef{Code: p.q.Code, Section: p.section, Type: p.q.Type, Label: p.q.Label})
		}
	}
	for _, p := range orderB {
		old, ok := inA[p.q.Code]
		if !ok {
			d.Added = append(d.Added, QuestionRef{Code: p.q.Code, Section: p.section, Type: p.q.Type, Label: p.q.Label})
			continue
		}
		changes := diffQuestion(old.q, p.q, [2]string{a.DefaultLanguage, b.DefaultLanguage})
		if old.section != p.section {
			changes = append(changes, Change{Property: PropSection, Kind: ChangeModified, Before: old.section, After: p.section})
		}
		if len(changes) > 0 {
			d.Changed = append(d.Changed, QuestionChange{Code: p.q.Code, Section: p.section, Label: p.q.Label, Changes: changes})
		}
	}
	return d
}

// diffSections lists the sections added, removed, retitled or with a new
// skip rule.
func diffSections(a, b *Definition) []SectionChange {
	var out []SectionChange
	inB := map[string]*Section{}
	for i := range b.Sections {
		inB[b.Sections[i].Code] = &b.Sections[i]
	}
	inA := map[string]*Section{}
	for i := range a.Sections {
		s := &a.Sections[i]
		inA[s.Code] = s
		if inB[s.Code] == nil {
			out = append(out, SectionChange{Code: s.Code, Kind: ChangeRemoved, Title: s.Title})
		}
	}
	for i := range b.Sections {
		s := &b.Sections[i]
		old := inA[s.Code]
		if old == nil {
			out = append(out, SectionChange{Code: s.Code, Kind: ChangeAdded, Title: s.Title})
			continue
		}
		ch := diffText(PropTitle, old.Title, s.Title)
		ch = append(ch, diffString(PropRelevant, old.Relevant, s.Relevant)...)
		if len(ch) > 0 {
			out = append(out, SectionChange{Code: s.Code, Kind: ChangeModified, Title: s.Title, Changes: ch})
		}
	}
	return out
}

// diffQuestion lists how question b differs from a, property by property.
// langs are the default languages of a's and b's definitions, in which an
// option added or removed is named.
func diffQuestion(a, b *Question, langs [2]string) []Change {
	var ch []Change
	ch = append(ch, diffText(PropLabel, a.Label, b.Label)...)
	ch = append(ch, diffText(PropHint, a.Hint, b.Hint)...)
	ch = append(ch, diffString(PropType, a.Type, b.Type)...)
	ch = append(ch, diffString(PropRequired, strconv.FormatBool(a.Required), strconv.FormatBool(b.Required))...)
	if added, removed := listDelta(a.Themes, b.Themes); len(added)+len(removed) > 0 {
		ch = append(ch, Change{Property: PropThemes, Kind: ChangeModified, Before: strings.Join(a.Themes, ", "), After: strings.Join(b.Themes, ", ")})
	}
	ch = append(ch, diffString(PropRelevant, a.Relevant, b.Relevant)...)
	ch = append(ch, diffString(PropConstraint, a.Constraint, b.Constraint)...)
	ch = append(ch, diffItems(PropOptions, optionItems(a.Options), optionItems(b.Options), langs)...)
	ch = append(ch, diffItems(PropScale, scaleItems(a.Scale), scaleItems(b.Scale), langs)...)
	ch = append(ch, diffItems(PropRows, rowItems(a.Rows), rowItems(b.Rows), langs)...)
	ch = append(ch, diffString(PropMin, bound(a.Min), bound(b.Min))...)
	ch = append(ch, diffString(PropMax, bound(a.Max), bound(b.Max))...)
	ch = append(ch, diffString(PropMaxLength, length(a.MaxLength), length(b.MaxLength))...)
	return ch
}

// item is an option, scale point or row reduced to what is compared.
type item struct {
	key   string
	label Text
}

func optionItems(os []Option) []item {
	out := make([]item, len(os))
	for i, o := range os {
		out[i] = item{o.Code, o.Label}
	}
	return out
}

func scaleItems(ps []ScalePoint) []item {
	out := make([]item, len(ps))
	for i, p := range ps {
		out[i] = item{strconv.Itoa(p.Value), p.Label}
	}
	return out
}

func rowItems(rs []Row) []item {
	out := make([]item, len(rs))
	for i, r := range rs {
		out[i] = item{r.Code, r.Label}
	}
	return out
}

// diffItems lists the items removed, added and relabelled (one change per
// language whose label differs). An item removed is named in the default
// language of a, one added in that of b.
func diffItems(prop string, a, b []item, langs [2]string) []Change {
	var ch []Change
	inB := map[string]item{}
	for _, it := range b {
		inB[it.key] = it
	}
	inA := map[string]item{}
	for _, it := range a {
		inA[it.key] = it
		if _, ok := inB[it.key]; !ok {
			ch = append(ch, Change{Property: prop, Kind: ChangeRemoved, Item: it.key, Before: it.label.In(langs[0], langs[0])})
		}
	}
	for _, it := range b {
		old, ok := inA[it.key]
		if !ok {
			ch = append(ch, Change{Property: prop, Kind: ChangeAdded, Item: it.key, After: it.label.In(langs[1], langs[1])})
			continue
		}
		for _, t := range diffText(prop, old.label, it.label) {
			t.Kind, t.Item = ChangeRelabelled, it.key
			ch = append(ch, t)
		}
	}
	return ch
}

// diffText compares a text language by language, in the order of
// Languages.
func diffText(prop string, a, b Text) []Change {
	var ch []Change
	for _, l := range Languages {
		if a[l] != b[l] {
			ch = append(ch, Change{Property: prop, Kind: ChangeModified, Lang: l, Before: a[l], After: b[l]})
		}
	}
	return ch
}

func diffString(prop, a, b string) []Change {
	if a == b {
		return nil
	}
	return []Change{{Property: prop, Kind: ChangeModified, Before: a, After: b}}
}

// listDelta returns what b has that a has not, and what a has that b has
// not; order does not count.
func listDelta(a, b []string) (added, removed []string) {
	for _, x := range b {
		if !slices.Contains(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

func bound(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

func length(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

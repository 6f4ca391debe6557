package analysis

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/unodc-csu/agora/forms"
)

// Summary aggregates the submitted responses of one consultation: every
// question's figures, under the theme tree, with response rates and
// priorities and, when asked, a breakdown by stakeholder type. A
// consultation outside scope is forms.ErrNotFound, as if it did not exist.
func (a *Analyzer) Summary(ctx context.Context, scope forms.Scope, v Viewer, consultationID uint, opts SummaryOptions) (*Summary, error) {
	return a.summary(ctx, scope, v, consultationID, opts, nil)
}

// Priorities returns only the priorities of a consultation's summary: the
// top items of its ranking questions by instrument, with their agreement.
func (a *Analyzer) Priorities(ctx context.Context, scope forms.Scope, v Viewer, consultationID uint, opts SummaryOptions) ([]Priority, error) {
	opts.ByType, opts.TextLimit = false, -1
	s, err := a.summary(ctx, scope, v, consultationID, opts, func(q *question) bool { return q.info.Type == forms.TypeRanking })
	if err != nil {
		return nil, err
	}
	return s.Priorities, nil
}

// summaryRun is one summary being computed.
type summaryRun struct {
	a      *Analyzer
	s      *Summary
	whole  bool // every question of the version, not a few
	opts   SummaryOptions
	sel    selection // the responses the figures are about
	sz     sizes     // their number by stakeholder type and version
	d      disclosure
	groups []string // stakeholder types with respondents, in display order
	qs     []*question
	ident  bool // texts may carry the organization
}

// summary computes the summary of every question, or, when only is set, of
// the questions it accepts.
func (a *Analyzer) summary(ctx context.Context, scope forms.Scope, v Viewer, id uint, opts SummaryOptions, only func(*question) bool) (*Summary, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	c, err := forms.NewStore(a.db).Consultation(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	vs, err := a.loadVersions(ctx, "id = ?", c.QuestionnaireID)
	if err != nil || len(vs) == 0 {
		return nil, cmp.Or(err, forms.ErrNotFound)
	}
	lang := cmp.Or(opts.Language, vs[0].def.DefaultLanguage)
	run := &summaryRun{
		a: a, opts: opts, ident: identify(v, c), whole: only == nil,
		s: &Summary{
			Language: lang, StakeholderType: opts.StakeholderType, Generated: time.Now().UTC(),
			Questions: []*QuestionSummary{}, Themes: []*ThemeNode{},
		},
		qs: slices.DeleteFunc(buildQuestions(vs, lang), func(q *question) bool { return only != nil && !only(q) }),
		sel: selection{
			consultations: []uint{c.ID}, where: "r.status = ?", args: []any{forms.ResponseSubmitted}, group: groupType,
			place: map[uint]placement{c.ID: {version: c.QuestionnaireID}}, stakeholderType: opts.StakeholderType,
		},
	}
	if t := opts.StakeholderType; t != "" {
		run.sel.where += " AND r.stakeholder_type = ?"
		run.sel.args = withArgs(run.sel.args, t)
	}
	if !opts.ByType {
		run.sel.group = groupNone
	}
	fs, err := run.query(ctx, v, c, vs[0])
	if err != nil {
		return nil, err
	}
	run.fillQuestions(fs)
	finishSummary(run.s, run.qs, lang, fs.tx)
	return run.s, nil
}

// choose decides what of the figures the viewer may see: suppression is
// decided on the whole consultation's breakdown, then applied to the
// stakeholder type asked for, if any.
func (r *summaryRun) choose(ctx context.Context, v Viewer, c *forms.Consultation) error {
	base := selection{consultations: []uint{c.ID}, where: "r.status = ?", args: []any{forms.ResponseSubmitted}, group: groupType}
	all, err := r.a.respondents(ctx, base)
	if err != nil {
		return err
	}
	r.d = newDisclosure(v.unsuppressed(c.Anonymity), all.totals(), c.MinCellSize)
	r.sz = all
	if t := r.opts.StakeholderType; t != "" {
		r.sz = sizes{t: all[t]}
		r.d.all = r.d.all || r.d.suppressed(t)
	}
	for g := range r.sz {
		r.s.Respondents += r.sz.total(g)
	}
	r.s.Suppressed = r.d.all
	if r.d.all {
		r.s.Respondents = 0 // a figure of a group below the minimum too
	}
	r.groups = groupOrder(r.sz)
	if r.opts.ByType {
		r.s.Groups = describeGroups(r.groups, r.sz, r.d)
	}
	return nil
}

// identify tells whether text answers may carry the organization: for
// those who may see who said what.
func identify(v Viewer, c *forms.Consultation) bool { return v.access(c).Identities() }

// figureSet is what the queries of a summary return.
type figureSet struct {
	ts    tallies
	texts map[string]*textList
	tx    *taxonomy
}

// query runs the summary's queries at the same time, each on a connection
// of its own: the counts of the answers (in parts) and of the hidden
// questions, the response rates, and, one after the other, the
// respondents (which decide what is suppressed), the texts (which leave
// suppressed groups out) and the small reads of the consultation's country
// and the taxonomy. The counts are made even when everything turns out to
// be suppressed, which only happens to consultations too small for them
// to cost anything.
func (r *summaryRun) query(ctx context.Context, v Viewer, c *forms.Consultation, ver version) (*figureSet, error) {
	byCode := make(map[string]*question, len(r.qs))
	for _, q := range r.qs {
		byCode[q.info.Code] = q
	}
	fs := &figureSet{ts: tallies{}, texts: map[string]*textList{}}
	fns, parts := r.a.answerCounts(ctx, r.sel, byCode, r.whole)
	hidden := tallies{}
	fns = append(fns,
		func() error { return r.a.countHiddenCells(ctx, r.sel, byCode, hidden) },
		func() (err error) {
			r.s.ResponseRates, err = r.a.responseRates(ctx, c.ID)
			return err
		},
		func() error { return r.describe(ctx, v, c, ver, fs) },
	)
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	r.s.ResponseRates.suppress(r.d) // once both are known
	for _, part := range append(parts, hidden) {
		fs.ts.addAll(part)
	}
	setAsked(fs.ts, r.qs, r.sz)
	return fs, nil
}

// describe decides what may be shown, then lists the texts and reads the
// consultation's description and the taxonomy.
func (r *summaryRun) describe(ctx context.Context, v Viewer, c *forms.Consultation, ver version, fs *figureSet) (err error) {
	if err := r.choose(ctx, v, c); err != nil {
		return err
	}
	if !r.s.Suppressed {
		if fs.texts, err = r.a.listTexts(ctx, r.sel, kinds(r.qs).texts, r.opts.TextLimit, r.ident); err != nil {
			return err
		}
		for _, l := range fs.texts {
			for i := range l.items {
				if r.d.suppressed(l.items[i].StakeholderType) {
					l.items[i].StakeholderType = ""
				}
			}
		}
	}
	if r.s.Consultation, err = r.a.consultationInfo(ctx, c, ver); err != nil {
		return err
	}
	fs.tx, err = r.a.taxonomy(ctx)
	return err
}

// fillQuestions lists every question with its figures; when everything is
// suppressed, the questions are listed with suppressed figures only.
func (r *summaryRun) fillQuestions(fs *figureSet) {
	everyone := func(string) bool { return true }
	for _, q := range r.qs {
		code := q.info.Code
		qsum := &QuestionSummary{QuestionInfo: q.info, Overall: &Figures{Suppressed: true, SuppressedBy: SuppressedSelection}}
		if !r.s.Suppressed {
			qsum.Overall = r.d.thin(q.figures(fs.ts.rollup(code, everyone), nil), q.info.Type)
		}
		if r.opts.ByType {
			qsum.ByType = map[string]*Figures{}
			for _, g := range r.groups {
				qsum.ByType[g] = &Figures{Suppressed: true, SuppressedBy: r.d.reason(g)}
				if !r.d.suppressed(g) {
					qsum.ByType[g] = r.d.thin(q.figures(fs.ts.peek(code, g), nil), q.info.Type)
				}
			}
		}
		if l := fs.texts[code]; l != nil {
			qsum.Texts, qsum.MoreTexts = l.items, l.more
		}
		r.s.Questions = append(r.s.Questions, qsum)
	}
}

// finishSummary adds what does not depend on the answers' figures.
func finishSummary(s *Summary, qs []*question, lang string, tx *taxonomy) {
	if tree := tx.tree(qs, lang); tree != nil {
		s.Themes = tree
	}
	s.Priorities = priorities(tx, s.Questions, lang)
}

func (a *Analyzer) consultationInfo(ctx context.Context, c *forms.Consultation, v version) (ConsultationInfo, error) {
	info := ConsultationInfo{
		ID: c.ID, Title: c.Title, Country: c.CountryISO3, QuestionnaireID: c.QuestionnaireID,
		QuestionnaireCode: v.def.Code, QuestionnaireVersion: v.num, Anonymity: c.Anonymity, MinCellSize: c.MinCellSize,
	}
	var country forms.Country
	if err := a.db.WithContext(ctx).Where("iso3 = ?", c.CountryISO3).Limit(1).Find(&country).Error; err != nil {
		return info, err
	}
	info.CountryName = country.Name
	if country.RegionalGroup != nil {
		info.RegionalGroup = *country.RegionalGroup
	}
	return info, nil
}

// groupOrder lists the stakeholder types with respondents in display order,
// types the registry does not know after, by code.
func groupOrder(sz sizes) []string {
	var out []string
	for _, t := range forms.StakeholderTypes {
		if sz.total(t) > 0 {
			out = append(out, t)
		}
	}
	for _, g := range sortedKeys(sz) {
		if !slices.Contains(out, g) && sz.total(g) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func describeGroups(groups []string, sz sizes, d disclosure) []Group {
	out := make([]Group, 0, len(groups))
	for _, g := range groups {
		if d.suppressed(g) {
			out = append(out, Group{Code: g, Suppressed: true, SuppressedBy: d.reason(g)})
		} else {
			out = append(out, Group{Code: g, Respondents: sz.total(g)})
		}
	}
	return out
}

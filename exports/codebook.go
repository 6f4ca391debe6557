package exports

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// writeOpenAnswers lists the text answers the analysis lets the viewer see,
// by theme and question, with the stakeholder type of their author (and the
// organization when the analysis gives it).
func writeOpenAnswers(f *excelize.File, st styles, used map[string]bool, s *analysis.Summary, def *forms.Definition, l labels) (int, error) {
	cols := []column{
		{title: "Theme", width: 16}, {title: "Question code", width: 16}, {title: "Question", width: 40, wrap: true},
		{title: "Option or row", width: 16}, {title: "Stakeholder type", width: 18},
		{title: "Organization", width: 24, wrap: true}, {title: "Answer", width: 80, wrap: true},
	}
	titles := make([]any, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	sh, err := newStreamSheet(f, st, used, "Open answers", cols, [][]any{titles}, 0)
	if err != nil {
		return 0, err
	}
	byCode := map[string]*analysis.QuestionSummary{}
	for _, q := range s.Questions {
		byCode[q.Code] = q
	}
	written := map[string]bool{}
	emit := func(theme string, q *analysis.QuestionSummary) error {
		if q == nil || len(q.Texts) == 0 || written[theme+"\x00"+q.Code] {
			return nil
		}
		written[theme+"\x00"+q.Code] = true
		for _, t := range q.Texts {
			if err := sh.add([]any{theme, q.Code, SafeText(q.Label), t.Option + t.Row, t.StakeholderType, st.user(t.Organization), st.user(t.Text)}); err != nil {
				return err
			}
		}
		if q.MoreTexts {
			return sh.add([]any{theme, q.Code, SafeText(q.Label), "", "", "", "More answers: see the Responses sheet."})
		}
		return nil
	}
	var walk func(n *analysis.ThemeNode) error
	walk = func(n *analysis.ThemeNode) error {
		for _, it := range n.Items {
			if err := emit(n.Code, byCode[it.Question]); err != nil {
				return err
			}
		}
		for _, c := range n.Children {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range s.Themes {
		if err := walk(n); err != nil {
			return 0, err
		}
	}
	for _, q := range s.Questions {
		if len(q.Themes) == 0 {
			if err := emit("", q); err != nil {
				return 0, err
			}
		}
	}
	return sh.rows, sh.close()
}

// writeCodebook describes every question: code, text, type, themes,
// options (code → label) and the questionnaire version.
func writeCodebook(f *excelize.File, st styles, used map[string]bool, def *forms.Definition, l labels) (int, error) {
	cols := []column{
		{title: "Question code", width: 18}, {title: "Section", width: 14}, {title: "Question", width: 50, wrap: true},
		{title: "Type", width: 16}, {title: "Themes", width: 24, wrap: true},
		{title: "Options, points or rows (code = label)", width: 60, wrap: true}, {title: "Version", width: 9},
	}
	titles := make([]any, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	sh, err := newStreamSheet(f, st, used, "Codebook", cols, [][]any{titles}, 0)
	if err != nil {
		return 0, err
	}
	for _, sec := range def.Sections {
		for i := range sec.Questions {
			q := &sec.Questions[i]
			row := []any{q.Code, sec.Code, SafeText(q.Label.In(l.lang, l.fallback)), q.Type,
				strings.Join(q.Themes, ", "), SafeText(choiceList(q, l)), def.Version}
			if err := sh.add(row); err != nil {
				return 0, err
			}
		}
	}
	return sh.rows, sh.close()
}

// choiceList renders a question's options, scale points and rows as
// "code = label" lines.
func choiceList(q *forms.Question, l labels) string {
	var b strings.Builder
	add := func(code string, label forms.Text) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(code + " = " + label.In(l.lang, l.fallback))
	}
	for _, o := range q.Options {
		add(o.Code, o.Label)
	}
	for _, r := range q.Rows {
		add(r.Code, r.Label)
	}
	for _, p := range q.Scale {
		add(itoa(p.Value), p.Label)
	}
	return b.String()
}

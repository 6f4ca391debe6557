package analysis

import (
	"encoding/json"
	"time"
)

// Summary is the aggregation of one consultation's submitted responses.
type Summary struct {
	Consultation ConsultationInfo `json:"consultation"`
	Language     string           `json:"language"`
	// StakeholderType is the filter applied to every figure, if any.
	StakeholderType string `json:"stakeholder_type,omitempty"`
	// Respondents counts the submitted responses the figures are about.
	Respondents int `json:"respondents"`
	// Suppressed is set when the whole selection is smaller than the
	// minimum cell size: every figure is then withheld.
	Suppressed    bool          `json:"suppressed"`
	ResponseRates ResponseRates `json:"response_rates"`
	// Groups lists the stakeholder types of the breakdown, in display
	// order, when one was asked for.
	Groups     []Group            `json:"groups,omitempty"`
	Themes     []*ThemeNode       `json:"themes"`
	Questions  []*QuestionSummary `json:"questions"`
	Priorities []Priority         `json:"priorities"`
	Generated  time.Time          `json:"generated_at"`
}

// ConsultationInfo identifies the consultation a summary is about.
type ConsultationInfo struct {
	ID                   uint   `json:"id"`
	Title                string `json:"title"`
	Country              string `json:"country"`
	CountryName          string `json:"country_name"`
	RegionalGroup        string `json:"regional_group,omitempty"`
	QuestionnaireID      uint   `json:"questionnaire_id"`
	QuestionnaireCode    string `json:"questionnaire_code"`
	QuestionnaireVersion int    `json:"questionnaire_version"`
	Anonymity            string `json:"anonymity"`
	MinCellSize          int    `json:"min_cell_size"`
}

// Group is one cell of a breakdown: a stakeholder type, a country or a
// regional group. A suppressed group shows no count.
type Group struct {
	Code        string `json:"code"`
	Name        string `json:"name,omitempty"`
	Respondents int    `json:"respondents,omitempty"`
	Suppressed  bool   `json:"suppressed,omitempty"`
	// SuppressedBy names the rule that withheld the group (suppress.go).
	SuppressedBy string `json:"suppressed_by,omitempty"`
}

// ResponseRates follow invitations through their life: issued, opened,
// started (a draft saved), submitted. Invited counts personal links;
// open-link visitors have no invitation beforehand, so they are counted in
// OpenVisits and, as they progress, in the other figures.
type ResponseRates struct {
	RateCounts
	ByType map[string]RateCounts `json:"by_type"`
}

// RateCounts are the response-rate counts of one group. A group the
// breakdown suppresses is suppressed here too, with no count.
type RateCounts struct {
	Suppressed   bool   `json:"suppressed,omitempty"`
	SuppressedBy string `json:"suppressed_by,omitempty"`
	Invited      int    `json:"invited"`
	OpenVisits   int    `json:"open_visits"`
	Opened       int    `json:"opened"`
	Started      int    `json:"started"`
	Submitted    int    `json:"submitted"`
	// SubmittedPercent is Submitted as a percentage of Invited plus
	// OpenVisits; absent when nobody was invited.
	SubmittedPercent *float64 `json:"submitted_percent,omitempty"`
}

// ThemeNode is a theme of the taxonomy with the questions tagged with it.
// A question is listed under its most specific tags only (a question tagged
// UNTOC, UNTOC.C1 and UNTOC.ART5 appears under UNTOC.ART5), and the tree
// nests articles under clusters under instruments, so that reading a node
// and its descendants gives every question about that theme. Themes without
// questions in their subtree are left out.
type ThemeNode struct {
	Code     string       `json:"code"`
	Kind     string       `json:"kind"`
	Name     string       `json:"name"`
	Items    []ThemeItem  `json:"items,omitempty"`
	Children []*ThemeNode `json:"children,omitempty"`
	position int
}

// ThemeItem points at a question, or at one row of a matrix when the row
// carries themes of its own.
type ThemeItem struct {
	Question string `json:"question"`
	Row      string `json:"row,omitempty"`
}

// QuestionInfo describes a question as the figures need it.
type QuestionInfo struct {
	Code    string   `json:"code"`
	Type    string   `json:"type"`
	Section string   `json:"section"`
	Label   string   `json:"label"`
	Themes  []string `json:"themes,omitempty"`
}

// QuestionSummary is one question's figures in a consultation summary.
type QuestionSummary struct {
	QuestionInfo
	Overall *Figures            `json:"overall"`
	ByType  map[string]*Figures `json:"by_type,omitempty"`
	// Texts lists text answers (and the text of "other, please specify"
	// options), in an order unrelated to who wrote them or when, at most
	// SummaryOptions.TextLimit of them. A text of a suppressed group comes
	// without its stakeholder type.
	Texts []TextAnswer `json:"texts,omitempty"`
	// MoreTexts is set when more texts exist than are listed.
	MoreTexts bool `json:"more_texts,omitempty"`
}

// TextAnswer is one text answer with what may be said of its author.
type TextAnswer struct {
	Text            string `json:"text"`
	Option          string `json:"option,omitempty"` // the "other" option the text specifies
	Row             string `json:"row,omitempty"`
	StakeholderType string `json:"stakeholder_type,omitempty"`
	// Organization is given to those who may see who said what
	// (forms.Access.Identities).
	Organization string `json:"organization,omitempty"`
}

// Figures are the figures of one question in one cell (everyone, one
// stakeholder type, one country...). A suppressed cell is rendered as
// {"suppressed": true} and nothing else: not as zeros.
type Figures struct {
	Suppressed bool `json:"suppressed,omitempty"`
	// SuppressedBy names the rule that withheld the figures (suppress.go).
	SuppressedBy string `json:"suppressed_by,omitempty"`
	// Respondents were asked the question: submitted responses to a
	// version that has it. Answered + NotAnswered + NotShown = Respondents.
	Respondents int `json:"respondents"`
	Answered    int `json:"answered"`
	NotAnswered int `json:"not_answered"`
	// NotShown were not shown the question because of skip logic.
	NotShown int            `json:"not_shown"`
	Options  []OptionCount  `json:"options,omitempty"`
	Scale    *ScaleFigures  `json:"scale,omitempty"`
	Number   *NumberFigures `json:"number,omitempty"`
	Ranking  *RankFigures   `json:"ranking,omitempty"`
	Rows     []RowFigures   `json:"rows,omitempty"`
	// Indicator is the one figure a comparison table shows for the cell.
	Indicator *Indicator `json:"indicator,omitempty"`
}

type figuresJSON Figures

// MarshalJSON renders a suppressed cell without any count.
func (f *Figures) MarshalJSON() ([]byte, error) {
	if f.Suppressed {
		return json.Marshal(struct {
			Suppressed   bool   `json:"suppressed"`
			SuppressedBy string `json:"suppressed_by,omitempty"`
		}{true, f.SuppressedBy})
	}
	return json.Marshal((*figuresJSON)(f))
}

// OptionCount is how often an option was chosen. Percent is of those who
// answered the question: for a multiple choice, the share of respondents
// who chose the option (the percentages may add up to more than 100).
type OptionCount struct {
	Code    string  `json:"code"`
	Label   string  `json:"label"`
	Count   int     `json:"count"`
	Percent float64 `json:"percent"`
	// An option that names a stakeholder type the breakdown withholds
	// ("your organization is...") is withheld too: its count is that
	// group's size.
	Suppressed   bool   `json:"suppressed,omitempty"`
	SuppressedBy string `json:"suppressed_by,omitempty"`
}

// ScaleFigures are the distribution of a scale (or one matrix row) over its
// points, and the mean of the points that are not "missing" ones such as
// "Don't know". Percent is of the answers.
type ScaleFigures struct {
	Points []PointCount `json:"points"`
	Valid  int          `json:"valid"` // answers on a non-missing point
	Mean   *float64     `json:"mean"`
}

// PointCount is how often a scale point was chosen.
type PointCount struct {
	Value   int     `json:"value"`
	Label   string  `json:"label"`
	Missing bool    `json:"missing,omitempty"`
	Count   int     `json:"count"`
	Percent float64 `json:"percent"`
}

// NumberFigures summarize number and integer answers. Quartiles are
// interpolated linearly between the closest ranks (the method of Excel's
// QUARTILE.INC and PostgreSQL's percentile_cont).
type NumberFigures struct {
	Count  int     `json:"count"`
	Mean   float64 `json:"mean"`
	Min    float64 `json:"min"`
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
	Max    float64 `json:"max"`
}

// RankFigures are the figures of a ranking question. See docs/analysis.md
// for the Borda count and Kendall's W used here.
type RankFigures struct {
	// Positions is the number of places a respondent could fill, and the
	// points of a first place.
	Positions int `json:"positions"`
	// KendallW measures agreement among respondents, from 0 (none) to 1
	// (all rank alike); null with fewer than two respondents, and in
	// comparisons, which do not count the depth of each ranking.
	KendallW *float64     `json:"kendall_w"`
	Items    []RankedItem `json:"items"`
}

// RankedItem is one option of a ranking, in overall order.
type RankedItem struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Order is the place by Borda score, 1 being the top priority; ties
	// share a place.
	Order        int      `json:"order"`
	Borda        int      `json:"borda"`
	Ranked       int      `json:"ranked"`
	First        int      `json:"first"`
	Top3         int      `json:"top3"`
	FirstPercent float64  `json:"first_percent"`
	Top3Percent  float64  `json:"top3_percent"`
	MeanRank     *float64 `json:"mean_rank,omitempty"`
}

// RowFigures are the figures of one matrix row.
type RowFigures struct {
	Code   string   `json:"code"`
	Label  string   `json:"label"`
	Themes []string `json:"themes,omitempty"`
	// A row answered by fewer than the minimum is withheld.
	Suppressed   bool         `json:"suppressed,omitempty"`
	SuppressedBy string       `json:"suppressed_by,omitempty"`
	Answered     int          `json:"answered"`
	NotAnswered  int          `json:"not_answered"`
	Scale        ScaleFigures `json:"scale"`
	Indicator    *Indicator   `json:"indicator,omitempty"`
}

// Indicator kinds.
const (
	IndicatorShare    = "share"    // percent of the most chosen option
	IndicatorMean     = "mean"     // mean of a scale
	IndicatorMedian   = "median"   // median of numbers
	IndicatorTop      = "top"      // top-ranked option, value its Borda score
	IndicatorAnswered = "answered" // number of text answers
)

// Indicator is a cell's key figure.
type Indicator struct {
	Kind  string  `json:"kind"`
	Code  string  `json:"code,omitempty"`
	Label string  `json:"label,omitempty"`
	Value float64 `json:"value"`
}

// Priority gathers the ranking questions of one instrument (or of the
// cross-cutting themes): the top priorities stakeholders named, and how far
// they agree.
type Priority struct {
	Theme     string             `json:"theme"`
	Name      string             `json:"name"`
	Questions []PriorityQuestion `json:"questions"`
}

// PriorityQuestion is one ranking question's top items.
type PriorityQuestion struct {
	Question     string       `json:"question"`
	Label        string       `json:"label"`
	Suppressed   bool         `json:"suppressed,omitempty"`
	SuppressedBy string       `json:"suppressed_by,omitempty"`
	Answered     int          `json:"answered,omitempty"`
	KendallW     *float64     `json:"kendall_w,omitempty"`
	Top          []RankedItem `json:"top,omitempty"`
}

// Comparison is a theme × country table of one questionnaire's key figures,
// across its published versions joined by question code.
type Comparison struct {
	Questionnaire  QuestionnaireInfo     `json:"questionnaire"`
	Language       string                `json:"language"`
	Countries      []CountryColumn       `json:"countries"`
	RegionalGroups []RegionColumn        `json:"regional_groups"`
	Themes         []*ThemeNode          `json:"themes"`
	Questions      []*QuestionComparison `json:"questions"`
	Generated      time.Time             `json:"generated_at"`
}

// QuestionnaireInfo identifies the questionnaire of a comparison.
type QuestionnaireInfo struct {
	Code     string `json:"code"`
	Title    string `json:"title"`
	Versions []int  `json:"versions"`
}

// CountryColumn is one country of a comparison. A suppressed country shows
// no count.
type CountryColumn struct {
	ISO3          string `json:"iso3"`
	Name          string `json:"name"`
	RegionalGroup string `json:"regional_group,omitempty"`
	Respondents   int    `json:"respondents,omitempty"`
	Consultations int    `json:"consultations"`
	Suppressed    bool   `json:"suppressed,omitempty"`
	SuppressedBy  string `json:"suppressed_by,omitempty"`
}

// RegionColumn is a UN regional group of a comparison, aggregating the
// countries listed (for non-admins, the countries that are not suppressed).
type RegionColumn struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Countries    []string `json:"countries"`
	Respondents  int      `json:"respondents,omitempty"`
	Suppressed   bool     `json:"suppressed,omitempty"`
	SuppressedBy string   `json:"suppressed_by,omitempty"`
}

// QuestionComparison is one question's figures per country and regional
// group.
type QuestionComparison struct {
	QuestionInfo
	Versions        []int               `json:"versions"`
	ByCountry       map[string]*Figures `json:"by_country"`
	ByRegionalGroup map[string]*Figures `json:"by_regional_group"`
}

package staff

import (
	"html"
	"html/template"
	"regexp"
	"slices"
	"strings"

	"github.com/go-analyze/charts"
)

// The analysis pages draw their charts on the server with go-analyze/charts
// and embed the SVG in the page: no JavaScript, and nothing to fetch. The
// page's Content-Security-Policy allows no inline style, so the library's
// style="..." attributes are rewritten as SVG presentation attributes,
// which the policy does not govern.

// barChart is a horizontal bar chart: one bar per label, top to bottom.
type barChart struct {
	Labels []string
	Values []float64
	Max    float64 // the end of the value axis; 0 for automatic
	// Format writes the numbers of the axis and the bars in the page's
	// language; nil keeps the library's.
	Format func(float64) string
	// Axis names the value axis ("% of answers"), in the page's language.
	Axis string
}

// chartWidth is the width of every chart's view box; the page scales it to
// the screen (max-width: 100%), so a phone shows it whole.
const chartWidth = 640

// svg renders the chart, or nothing when there is nothing to draw.
func (b barChart) svg() (template.HTML, error) {
	if len(b.Values) == 0 {
		return "", nil
	}
	// The library draws the first category at the bottom: reverse them so
	// that the chart reads in the order of the table beside it.
	labels, values := slices.Clone(b.Labels), slices.Clone(b.Values)
	slices.Reverse(labels)
	slices.Reverse(values)
	for i, l := range labels {
		labels[i] = shorten(l, 38)
	}
	axis := charts.ValueAxisOption{Min: charts.Ptr(0.0), ValueFormatter: b.Format, Title: b.Axis, PreferNiceIntervals: charts.Ptr(true)}
	if b.Max > 0 {
		axis.Max = charts.Ptr(b.Max)
		axis.LabelCount = 6 // 0, 20, 40... for a percentage
	}
	height := 60 + 36*len(values)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: chartWidth, Height: height})
	err := p.BarChart(charts.BarChartOption{
		Horizontal:   true,
		Padding:      charts.NewBox(10, 10, 30, 10),
		ValueAxis:    []charts.ValueAxisOption{axis},
		CategoryAxis: charts.CategoryAxisOption{Labels: labels},
		SeriesList: charts.NewSeriesListBar([][]float64{values},
			charts.BarSeriesOption{Label: charts.SeriesLabel{Show: charts.Ptr(true), ValueFormatter: b.Format}}),
		ValueFormatter: b.Format,
	})
	if err != nil {
		return "", err
	}
	out, err := p.Bytes()
	if err != nil {
		return "", err
	}
	return inertSVG(string(out)), nil
}

// shorten cuts a label to n runes for the chart; the table gives it whole.
func shorten(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

var (
	styleAttr  = regexp.MustCompile(`\sstyle="([^"]*)"`)
	svgOpening = regexp.MustCompile(`^<svg\s`)
	// svgProperty keeps the properties that are also presentation
	// attributes; anything else is dropped.
	svgProperty = map[string]bool{"fill": true, "stroke": true, "stroke-width": true, "stroke-dasharray": true,
		"font-size": true, "font-family": true, "font-weight": true, "fill-opacity": true, "stroke-opacity": true, "opacity": true}
	// forbiddenMarkup looks inside tags only: the text of labels is
	// escaped, so a "<" always opens a tag.
	forbiddenMarkup = regexp.MustCompile(`(?i)<\s*/?\s*(script|style|foreignObject|iframe)\b|<[^>]*\s(on\w+|href|xlink:href)\s*=`)
)

// inertSVG rewrites style attributes as presentation attributes, marks the
// chart as an image described by the table beside it (role, aria-hidden),
// and refuses anything that could run or style the page.
func inertSVG(s string) template.HTML {
	s = styleAttr.ReplaceAllStringFunc(s, func(m string) string {
		decl := html.UnescapeString(styleAttr.FindStringSubmatch(m)[1])
		var b strings.Builder
		for _, d := range strings.Split(decl, ";") {
			name, value, ok := strings.Cut(d, ":")
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if !ok || !svgProperty[name] {
				continue
			}
			b.WriteString(" " + name + `="` + html.EscapeString(value) + `"`)
		}
		return b.String()
	})
	s = svgOpening.ReplaceAllString(s, `<svg class="chart" aria-hidden="true" focusable="false" `)
	if forbiddenMarkup.MatchString(s) {
		return ""
	}
	return template.HTML(s) // #nosec: the library escapes text; checked above
}

package exports

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// comparisonFixture has three countries whose most chosen options differ:
// Kenya and Mexico mostly NGOs, Nigeria mostly academia.
func comparisonFixture(t *testing.T) (*fixture, *analysis.Comparison, *excelize.File) {
	fx := newFixture(t)
	fx.consultation("KEN", forms.AnonymityConfidential, 6, 5)
	fx.consultation("NGA", forms.AnonymityConfidential, 2, 6)
	fx.consultation("MEX", forms.AnonymityConfidential, 7, 0)
	ctx := context.Background()
	cmp, err := fx.an.Compare(ctx, forms.AllCountries, analysis.Viewer{Role: forms.RoleAdmin}, "pilot-issues", analysis.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := BuildComparison(ctx, fx.an, ComparisonRequest{Questionnaire: "pilot-issues", Scope: forms.AllCountries, Role: forms.RoleAdmin}, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return fx, cmp, f
}

// TestComparisonLabelsPerCountry checks that every country's figure sits
// beside its own option, and that every matrix row has its means.
func TestComparisonLabelsPerCountry(t *testing.T) {
	_, cmp, f := comparisonFixture(t)
	rows := rowsOf(t, f, "UNTOC")
	header := rows[0]
	col := func(iso string) int {
		for i, h := range header {
			if strings.HasSuffix(h, "("+iso+")") {
				return i
			}
		}
		t.Fatalf("no column for %s in %v", iso, header)
		return -1
	}
	byCode := map[string]*analysis.QuestionComparison{}
	for _, q := range cmp.Questions {
		byCode[q.Code] = q
	}
	find := func(prefix, figure string) []string {
		for _, r := range rows {
			if len(r) > 2 && strings.HasPrefix(r[1], prefix) && r[2] == figure {
				return r
			}
		}
		t.Fatalf("no row %q / %q", prefix, figure)
		return nil
	}
	for _, tc := range []struct{ question, value, label string }{
		{"q_org_type —", unitPercent, "the most chosen option"},
		{"q_priorities —", unitBorda, "the first-ranked option"},
	} {
		t.Run(tc.question, func(t *testing.T) {
			values, labels := find(tc.question, tc.value), find(tc.question, tc.label)
			q := byCode[strings.TrimSuffix(tc.question, " —")]
			for _, iso := range []string{"KEN", "NGA", "MEX"} {
				in := q.ByCountry[iso].Indicator
				c := col(iso)
				if labels[c] != in.Label {
					t.Errorf("%s: label %q, API %q", iso, labels[c], in.Label)
				}
				if got, _ := strconv.ParseFloat(values[c], 64); fmt.Sprintf("%.4f", got) != fmt.Sprintf("%.4f", in.Value) {
					t.Errorf("%s: value %s, API %v", iso, values[c], in.Value)
				}
			}
		})
	}
	if byCode["q_org_type"].ByCountry["NGA"].Indicator.Label == byCode["q_org_type"].ByCountry["KEN"].Indicator.Label {
		t.Fatal("the fixture should give Nigeria and Kenya different most chosen options")
	}
	t.Run("matrix rows", func(t *testing.T) {
		q := byCode["q_coop_bodies"]
		for _, r := range q.ByCountry["KEN"].Rows {
			if r.Indicator == nil {
				continue
			}
			line := find("q_coop_bodies — "+q.Label+" / "+r.Label, unitMean)
			for _, iso := range []string{"KEN", "NGA", "MEX"} {
				var want *analysis.Indicator
				for _, x := range q.ByCountry[iso].Rows {
					if x.Code == r.Code {
						want = x.Indicator
					}
				}
				got, err := strconv.ParseFloat(line[col(iso)], 64)
				if want == nil || err != nil || fmt.Sprintf("%.2f", got) != fmt.Sprintf("%.2f", want.Value) {
					t.Errorf("%s %s: cell %q, API %+v", iso, r.Code, line[col(iso)], want)
				}
			}
		}
	})
}

// TestComparisonCharts checks that every chart series is named by a cell
// reference and that a chart holds one unit.
func TestComparisonCharts(t *testing.T) {
	_, _, f := comparisonFixture(t)
	n := 0
	f.Pkg.Range(func(k, v any) bool {
		name, _ := k.(string)
		if !strings.HasPrefix(name, "xl/charts/chart") {
			return true
		}
		n++
		names := seriesName.FindAllStringSubmatch(string(v.([]byte)), -1)
		if len(names) == 0 {
			t.Errorf("%s: no series name", name)
		}
		for _, m := range names {
			if ref := html.UnescapeString(m[1]); !cellRef.MatchString(ref) {
				t.Errorf("%s: series name %q is not a cell reference", name, ref)
			}
		}
		return true
	})
	if n < 3 {
		t.Errorf("%d charts; want one per unit", n)
	}
}

var (
	seriesName = regexp.MustCompile(`<tx><strRef><f>([^<]*)</f>`)
	cellRef    = regexp.MustCompile(`^'[^']+'!\$[A-Z]+\$[0-9]+$`)
)

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct{ top, want float64 }{{0, 1}, {2, 1}, {6, 1}, {7, 2}, {12, 2}, {13, 5}, {30, 5}, {31, 10}, {250, 50}} {
		if got := niceStep(tc.top); got != tc.want {
			t.Errorf("niceStep(%v) = %v, want %v", tc.top, got, tc.want)
		}
	}
}

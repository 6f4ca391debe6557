package staff

import "testing"

func TestInertSVG(t *testing.T) {
	got := string(inertSVG(`<svg xmlns="http://www.w3.org/2000/svg"><path d="M 0 0" style="stroke:none;fill:rgb(1,2,3);behavior:url(x)"/><text style="font-family:'Roboto',sans-serif">on=1 javascript: &lt;b&gt;</text></svg>`))
	want := `<svg class="chart" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><path d="M 0 0" stroke="none" fill="rgb(1,2,3)"/><text font-family="&#39;Roboto&#39;,sans-serif">on=1 javascript: &lt;b&gt;</text></svg>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []string{
		`<svg><script>alert(1)</script></svg>`,
		`<svg><style>*{}</style></svg>`,
		`<svg><a href="javascript:x()"><text>x</text></a></svg>`,
		`<svg><rect onload="x()"/></svg>`,
		`<svg><foreignObject><div></div></foreignObject></svg>`,
	} {
		if got := inertSVG(bad); got != "" {
			t.Errorf("%s kept as %s", bad, got)
		}
	}
}

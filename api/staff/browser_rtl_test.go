package staff_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/unodc-csu/agora/api/apitest"
)

// rtlProbe measures where the text of a page's heading and brand and its
// first menu entry sit, how its tables align, and which way the page
// runs, in the browser's own layout.
const rtlProbe = `(() => {
  const text = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  const h1 = text(document.querySelector("main h1"));
  const brand = text(document.querySelector(".brand"));
  const menu = document.querySelector("nav.menu li").getBoundingClientRect();
  const cap = document.querySelector("main caption, main th");
  return {
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    width: window.innerWidth,
    h1Left: h1.left, h1Right: h1.right,
    brandLeft: brand.left, brandRight: brand.right,
    menuLeft: menu.left, menuRight: menu.right,
    cellAlign: cap ? getComputedStyle(cap).textAlign : "",
  };
})()`

type rtlLayout struct {
	Dir, Direction, CellAlign                                          string
	Width, H1Left, H1Right, BrandLeft, BrandRight, MenuLeft, MenuRight float64
	CellLeft, CellRight                                                float64
}

// TestBrowserArabicWorkspaceMirrors opens the workspace in Arabic and in
// English at a phone's and a laptop's width, and checks in the browser's
// layout that Arabic runs right to left: the heading, the brand, the
// first menu entry start at the right edge and tables align right, where English
// starts them at the left. With AGORA_SCREENSHOTS set to a folder, it
// leaves there a screenshot of each page, whole and as first seen.
func TestBrowserArabicWorkspaceMirrors(t *testing.T) {
	env := newTestEnv(t)
	ctx := apitest.NewBrowser(t)
	admin, err := env.Accounts().UserByEmail(context.Background(), "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Accounts().SetPassword(context.Background(), admin.ID, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	qid := env.DeployDemo()
	cid := env.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6, "academia": 5})
	ts := httptest.NewServer(env.Handler)
	defer ts.Close()
	shots := os.Getenv("AGORA_SCREENSHOTS")

	if err := chromedp.Run(ctx); err != nil {
		t.Fatal(err)
	}
	run := func(name string, actions ...chromedp.Action) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Run(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	run("log in",
		chromedp.Navigate(ts.URL+"/login?lang=ar"),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery),
		chromedp.SendKeys(`#email`, "admin@example.org", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "correct horse battery", chromedp.ByQuery),
		apitest.ClickAndWait(`form[action="/login"] button[type="submit"]`),
		chromedp.WaitVisible(`nav.menu`, chromedp.ByQuery),
	)
	pages := map[string]string{
		"portal":       "/portal",
		"consultation": fmt.Sprintf("/portal/consultations/%d", cid),
		"dashboard":    fmt.Sprintf("/portal/consultations/%d/dashboard", cid),
		"stakeholders": "/portal/stakeholders",
	}
	for _, width := range []int64{390, 1366} {
		for _, lang := range []string{"ar", "en"} {
			for name, path := range pages {
				t.Run(fmt.Sprintf("%s/%s/%d", name, lang, width), func(t *testing.T) {
					var l rtlLayout
					var png, top []byte
					run(name,
						chromedp.EmulateViewport(width, 900),
						chromedp.Navigate(ts.URL+path+"?lang="+lang),
						chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
						chromedp.Evaluate(rtlProbe, &l),
						chromedp.FullScreenshot(&png, 100),
						chromedp.CaptureScreenshot(&top),
					)
					if shots != "" {
						for suffix, img := range map[string][]byte{"": png, "-top": top} {
							if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s-%d%s.png", name, lang, width, suffix)), img, 0o600); err != nil {
								t.Fatal(err)
							}
						}
					}
					wantDir := map[string]string{"ar": "rtl", "en": "ltr"}[lang]
					if l.Dir != wantDir || l.Direction != wantDir {
						t.Fatalf("dir=%q, computed direction %q; want %q", l.Dir, l.Direction, wantDir)
					}
					// The start edge is the right one in Arabic: what starts
					// a line sits nearer the right edge than the left.
					starts := map[string][2]float64{"heading": {l.H1Left, l.H1Right}, "brand": {l.BrandLeft, l.BrandRight}, "menu": {l.MenuLeft, l.MenuRight}}
					for what, lr := range starts {
						fromLeft, fromRight := lr[0], l.Width-lr[1]
						if fromLeft < 24 && fromRight < 24 {
							continue // the text fills its line: no side to tell
						}
						if lang == "ar" && fromRight > fromLeft+1 {
							t.Errorf("%s is %.0f px from the right edge and %.0f from the left: not mirrored", what, fromRight, fromLeft)
						}
						if lang == "en" && fromLeft > fromRight+1 {
							t.Errorf("%s is %.0f px from the left edge and %.0f from the right", what, fromLeft, fromRight)
						}
					}
					if want := map[string]string{"ar": "right", "en": "left"}[lang]; l.CellAlign != "" && l.CellAlign != want && l.CellAlign != "start" {
						t.Errorf("table text aligns %q, want %q", l.CellAlign, want)
					}
				})
			}
		}
	}
}

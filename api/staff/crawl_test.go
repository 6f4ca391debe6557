package staff_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/api/staff"
)

var (
	pageLink = regexp.MustCompile(`href="(/(?:portal|admin)[^"#]*)"`)
	// rawKey is a catalog key shown as text: a word, a dot, a word, alone
	// between tags.
	rawKey = regexp.MustCompile(`>\s*([a-z]+\.[a-z0-9_]+)\s*<`)
	// control is a form control a person fills in (not a hidden field, not
	// a button).
	control   = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*>`)
	attrID    = regexp.MustCompile(`\sid="([^"]+)"`)
	labelFor  = regexp.MustCompile(`<label\b[^>]*\sfor="([^"]+)"`)
	ariaLabel = regexp.MustCompile(`\saria-label(?:ledby)?="`)
)

// checkControlsLabelled reports a control without a label: every input,
// select and textarea but hidden fields has an id that a <label for>
// names, or an aria-label.
// It returns the number of controls checked.
func checkControlsLabelled(t *testing.T, path, body string) int {
	t.Helper()
	n := 0
	labelled := map[string]bool{}
	for _, m := range labelFor.FindAllStringSubmatch(body, -1) {
		labelled[m[1]] = true
	}
	for _, tag := range control.FindAllString(body, -1) {
		if strings.Contains(tag, `type="hidden"`) || strings.Contains(tag, `type="submit"`) || ariaLabel.MatchString(tag) {
			continue
		}
		n++
		id := attrID.FindStringSubmatch(tag)
		if id == nil || !labelled[id[1]] {
			t.Errorf("GET %s: a control without a label: %s", path, tag)
		}
	}
	return n
}

// TestWorkspaceCrawl follows every workspace link each role can see, from
// the portal, in each staff language: no page may fail (5xx), every page
// is HTML in the language asked for, and none shows a catalog key instead
// of words.
func TestWorkspaceCrawl(t *testing.T) {
	e := newTestEnv(t)
	qid := e.DeployDemo()
	e.DemoConsultation(qid, "KEN", map[string]int{"ngo": 6, "academia": 3})
	e.DemoConsultation(qid, "MEX", map[string]int{"ngo": 5})
	e.Stakeholder("Coast <b>Network</b>", "ngo", "KEN")

	for _, caller := range []string{"admin", "analyst", "focal_ken"} {
		for _, lang := range staff.Languages {
			t.Run(caller+"/"+lang, func(t *testing.T) {
				cookie, _ := e.Login(caller)
				headers := map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie + "; " + httpkit.LangCookie + "=" + lang}
				seen := map[string]bool{"/portal": true}
				controls := 0
				queue := []string{"/portal"}
				for len(queue) > 0 && len(seen) < 400 {
					path := queue[0]
					queue = queue[1:]
					rec := e.DoRequest(http.MethodGet, path, nil, headers)
					if rec.Code >= 500 {
						t.Errorf("GET %s: %d\n%.500s", path, rec.Code, rec.Body.String())
						continue
					}
					ct := rec.Header().Get("Content-Type")
					if rec.Code != http.StatusOK || !strings.HasPrefix(ct, "text/html") {
						continue // a download, a redirect, a refusal
					}
					body := rec.Body.String()
					if !strings.Contains(body, `<html lang="`+lang+`"`) && !strings.Contains(path, "/preview") {
						t.Errorf("GET %s: not in %s", path, lang)
					}
					for _, m := range rawKey.FindAllStringSubmatch(body, -1) {
						if staff.Catalog.Has("en", m[1]) {
							t.Errorf("GET %s shows the key %q", path, m[1])
						}
					}
					if !strings.Contains(path, "/preview") { // the survey's own pages are checked in api/web
						controls += checkControlsLabelled(t, path, body)
					}
					if strings.Contains(body, "<b>Network</b>") {
						t.Errorf("GET %s shows markup a user typed", path)
					}
					for _, m := range pageLink.FindAllStringSubmatch(body, -1) {
						next := html.UnescapeString(m[1])
						if strings.Contains(next, "lang=") || seen[next] {
							continue
						}
						seen[next] = true
						queue = append(queue, next)
					}
				}
				t.Logf("%d pages reached, %d form controls checked", len(seen), controls)
				if caller == "admin" && controls < 100 {
					t.Errorf("only %d form controls checked", controls)
				}
				if len(seen) < 10 {
					t.Errorf("only %d pages reached: %v", len(seen), seen)
				}
			})
		}
	}
}

package api_test

import (
	"net/http"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
)

func TestHealthz(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do("", "GET", "/healthz", nil)
	body := apitest.Decode[map[string]any](t, rec)
	if rec.Code != http.StatusOK || body["status"] != "ok" || body["database"] != "ok" {
		t.Fatalf("healthz %d %v", rec.Code, body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if rec.Header().Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
}

type themeNode struct {
	Code     string      `json:"code"`
	Kind     string      `json:"kind"`
	Name     string      `json:"name"`
	Children []themeNode `json:"children"`
}

func TestThemesTree(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do("", "GET", "/api/v1/themes", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("themes %d", rec.Code)
	}
	tree := apitest.Decode[struct{ Items []themeNode }](t, rec).Items
	find := func(nodes []themeNode, code string) *themeNode {
		for i := range nodes {
			if nodes[i].Code == code {
				return &nodes[i]
			}
		}
		return nil
	}
	untoc := find(tree, "UNTOC")
	if untoc == nil || untoc.Kind != "instrument" {
		t.Fatalf("no UNTOC instrument at the root: %+v", tree)
	}
	c1 := find(untoc.Children, "UNTOC.C1")
	if c1 == nil || c1.Name != "Criminalization and jurisdiction" {
		t.Fatalf("UNTOC.C1 = %+v", c1)
	}
	if art5 := find(c1.Children, "UNTOC.ART5"); art5 == nil || art5.Kind != "article" {
		t.Errorf("UNTOC.ART5 under UNTOC.C1 = %+v", art5)
	}
	for _, code := range []string{"TIP", "SOM", "FA", "XC", "WG"} {
		if find(tree, code) == nil {
			t.Errorf("root %s missing", code)
		}
	}
}

func TestCountries(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do("", "GET", "/api/v1/countries", nil)
	items := apitest.Decode[struct {
		Items []struct {
			ISO3          string  `json:"iso3"`
			M49           string  `json:"m49"`
			Name          string  `json:"name"`
			RegionalGroup *string `json:"regional_group"`
		}
	}](t, rec).Items
	if rec.Code != http.StatusOK || len(items) != 249 {
		t.Fatalf("countries %d, %d items", rec.Code, len(items))
	}
	byCode := map[string]int{}
	for i, c := range items {
		byCode[c.ISO3] = i
	}
	ken := items[byCode["KEN"]]
	if ken.M49 != "404" || ken.RegionalGroup == nil || *ken.RegionalGroup != "AFRICAN" {
		t.Errorf("Kenya = %+v", ken)
	}
	if usa := items[byCode["USA"]]; usa.RegionalGroup != nil {
		t.Errorf("USA group = %v, want null (observer)", *usa.RegionalGroup)
	}
}

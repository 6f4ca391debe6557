package web

import (
	"regexp"
	"slices"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestCatalogsComplete checks that every language has every key, with a
// non-empty text carrying the same placeholders as the English one.
func TestCatalogsComplete(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	en := cat.Keys("en")
	if len(en) < 50 {
		t.Fatalf("the English catalog has only %d keys", len(en))
	}
	for _, lang := range forms.Languages {
		t.Run(lang, func(t *testing.T) {
			keys := cat.Keys(lang)
			for _, k := range en {
				if !slices.Contains(keys, k) {
					t.Errorf("missing key %q", k)
				}
			}
			for _, k := range keys {
				if !slices.Contains(en, k) {
					t.Errorf("key %q is not in the English catalog", k)
				}
				text := cat.texts[lang][k]
				if text == "" {
					t.Errorf("%q is empty", k)
				}
				want, got := placeholder.FindAllString(cat.texts["en"][k], -1), placeholder.FindAllString(text, -1)
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) {
					t.Errorf("%q has placeholders %v, English has %v", k, got, want)
				}
			}
		})
	}
}

// TestCatalogKeysUsed checks that the keys the code builds exist.
func TestCatalogKeysUsed(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, typ := range forms.StakeholderTypes {
		keys = append(keys, "type_"+typ)
	}
	for _, status := range []string{"link_unknown", "link_revoked", "link_expired", "link_closed",
		"link_not_yet_open", "link_submitted_anonymously", "rate_limited", "csrf", "bad_request", "too_large", "error"} {
		keys = append(keys, status+"_title", status+"_body")
	}
	for _, k := range keys {
		if _, ok := cat.texts["en"][k]; !ok {
			t.Errorf("no key %q", k)
		}
	}
}

func TestMessagesT(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"en", "progress", []any{"n", 2, "total", 5}, "Section 2 of 5"},
		{"fr", "progress", []any{"n", 2, "total", 5}, "Section 2 sur 5"},
		{"zh", "progress", []any{"n", 2, "total", 5}, "第 2 部分，共 5 部分"},
		{"xx", "next", nil, "Continue"},
		{"en", "no_such_key", nil, "no_such_key"},
	}
	for _, tt := range tests {
		if got := cat.Messages(tt.lang).T(tt.key, tt.args...); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := map[string]string{
		"":                          "en",
		"ar-EG,ar;q=0.9,en;q=0.5":   "ar",
		"fr-CA,fr;q=0.9":            "fr",
		"zh-TW,zh;q=0.9":            "zh",
		"de-DE,de;q=0.9":            "en",
		"de-DE,de;q=0.9,es;q=0.5":   "es",
		"ru":                        "ru",
		"not a header ;;; q=banana": "en",
	}
	for header, want := range tests {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

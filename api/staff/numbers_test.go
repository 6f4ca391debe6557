package staff

import "testing"

func TestNumberFormat(t *testing.T) {
	tests := []struct {
		lang          string
		pct, big, dec string
	}{
		{"en", "12.5%", "12,345", "0.67"},
		{"fr", "12,5\u00a0%", "12\u00a0345", "0,67"},
		{"es", "12,5\u00a0%", "12.345", "0,67"},
	}
	for _, tt := range tests {
		w := newViewWords(staffCatalog.Messages(tt.lang))
		if got := w.pct(12.5); got != tt.pct {
			t.Errorf("%s: pct %q, want %q", tt.lang, got, tt.pct)
		}
		if got := w.Int(12345); got != tt.big {
			t.Errorf("%s: int %q, want %q", tt.lang, got, tt.big)
		}
		if got := w.Dec(0.6667, 2); got != tt.dec {
			t.Errorf("%s: dec %q, want %q", tt.lang, got, tt.dec)
		}
	}
}

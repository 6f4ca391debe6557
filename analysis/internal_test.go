package analysis

import (
	"slices"
	"testing"
)

func TestSuppressCells(t *testing.T) {
	cases := []struct {
		name  string
		cells map[string]int
		want  []string
	}{
		{"nothing small", map[string]int{"ngo": 8, "academia": 5}, nil},
		{"one small takes the next smallest", map[string]int{"ngo": 20, "academia": 3, "private_sector": 6}, []string{"academia", "private_sector"}},
		{"two small that reach the minimum together", map[string]int{"ngo": 20, "academia": 3, "private_sector": 2}, []string{"academia", "private_sector"}},
		{"two small below the minimum take a third", map[string]int{"ngo": 20, "academia": 1, "private_sector": 2, "other": 7}, []string{"academia", "other", "private_sector"}},
		{"ties broken by code", map[string]int{"ngo": 6, "academia": 6, "other": 1}, []string{"academia", "other"}},
		{"empty cells are not small", map[string]int{"ngo": 6, "academia": 0}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := sortedKeys(suppressCells(tc.cells, 5))
			if !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
				t.Errorf("suppressed %v, want %v", got, tc.want)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	x := map[int]float64{1: 10, 2: 20, 3: 30, 4: 40}
	for _, tc := range []struct {
		num, den int
		want     float64
	}{{1, 4, 17.5}, {1, 2, 25}, {3, 4, 32.5}} {
		if got := quantile(x, 4, tc.num, tc.den); got != tc.want {
			t.Errorf("quantile %d/%d = %v, want %v", tc.num, tc.den, got, tc.want)
		}
	}
	if got := quantile(map[int]float64{1: 7}, 1, 3, 4); got != 7 {
		t.Errorf("quantile of one value = %v", got)
	}
}

// TestKendallWComplete checks the textbook case: complete rankings, no ties.
func TestKendallWComplete(t *testing.T) {
	ranks := func(rows ...[]int) *tally {
		tl := newTally()
		for _, row := range rows {
			for i, r := range row {
				rt := tl.rankOf(string(rune('a' + i)))
				rt.n++
				rt.rankSum += r
				rt.byDepth[len(row)]++
				tl.depth[len(row)]++
			}
		}
		return tl
	}
	codes := []string{"a", "b", "c"}
	for _, tc := range []struct {
		tl   *tally
		want float64
	}{
		{ranks([]int{1, 2, 3}, []int{1, 2, 3}, []int{1, 2, 3}), 1},
		{ranks([]int{1, 2, 3}, []int{1, 3, 2}, []int{2, 1, 3}), 0.444},
		{ranks([]int{1, 2, 3}, []int{3, 2, 1}), 0},
	} {
		dep := depths(tc.tl)
		m := 0
		for _, n := range dep {
			m += n
		}
		if w := kendallW(tc.tl, codes, dep, m); w == nil || *w != tc.want {
			t.Errorf("W = %v, want %v", w, tc.want)
		}
	}
}

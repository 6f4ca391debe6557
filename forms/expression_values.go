package forms

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The XLSForm functions of expressions (see helpers). They take what the
// answers hold: nil for an unanswered question, text, numbers, lists of
// option codes, and, for a question of a repeat named from outside it, the
// list of its answers in every entry.

// clock tells the time to today(); tests set it.
var clock = time.Now

// errNotNumber fails an expression given text where a number is needed:
// a condition that cannot be decided is false, a calculation empty.
var errNotNumber = errors.New("not a number")

// fnToday is today's date, YYYY-MM-DD, in UTC, as date answers are written.
func fnToday(...any) (any, error) {
	return clock().UTC().Format(time.DateOnly), nil
}

// regexCache keeps the compiled patterns of regex(): they are literals of
// a few expressions, compiled once, not on every check.
var regexCache = struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}{m: map[string]*regexp.Regexp{}}

// maxCachedPatterns bounds the cache; it starts over when full.
const maxCachedPatterns = 256

func pattern(src string) (*regexp.Regexp, error) {
	regexCache.Lock()
	defer regexCache.Unlock()
	if re := regexCache.m[src]; re != nil {
		return re, nil
	}
	re, err := regexp.Compile(src) // RE2: linear time, whatever the pattern
	if err != nil {
		return nil, err
	}
	if len(regexCache.m) >= maxCachedPatterns {
		regexCache.m = map[string]*regexp.Regexp{}
	}
	regexCache.m[src] = re
	return re, nil
}

// fnRegex is regex(text, pattern): whether the text matches the regular
// expression (RE2 syntax, which covers what forms use). An unanswered
// question matches nothing.
func fnRegex(p ...any) (any, error) {
	if p[0] == nil {
		return false, nil
	}
	src, ok := p[1].(string)
	if !ok {
		return nil, errors.New("regex() takes its pattern as text")
	}
	re, err := pattern(src)
	if err != nil {
		return nil, err
	}
	return re.MatchString(textOf(p[0])), nil
}

// numbersOf reads the numbers of arguments that may be lists (a repeat's
// answers, a multiple choice), skipping unanswered ones; text must hold a
// number.
func numbersOf(args []any, out []float64) ([]float64, error) {
	for _, a := range args {
		switch v := a.(type) {
		case nil:
		case []any:
			var err error
			if out, err = numbersOf(v, out); err != nil {
				return nil, err
			}
		case []string:
			for _, s := range v {
				x, ok, empty := parseNumber(s)
				if !ok && !empty {
					return nil, errNotNumber
				}
				if ok {
					out = append(out, x)
				}
			}
		case []float64:
			out = append(out, v...)
		default:
			x, ok, empty := parseNumber(v)
			switch {
			case empty:
			case !ok:
				return nil, errNotNumber
			default:
				out = append(out, x)
			}
		}
	}
	return out, nil
}

// fnSum adds numbers (0 when there are none).
func fnSum(p ...any) (any, error) {
	xs, err := numbersOf(p, nil)
	if err != nil {
		return nil, err
	}
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total, nil
}

// extreme gives the least or greatest number, nil when there are none.
func extreme(p []any, better func(a, b float64) bool) (any, error) {
	xs, err := numbersOf(p, nil)
	if err != nil || len(xs) == 0 {
		return nil, err
	}
	best := xs[0]
	for _, x := range xs[1:] {
		if better(x, best) {
			best = x
		}
	}
	return best, nil
}

func fnMin(p ...any) (any, error) { return extreme(p, func(a, b float64) bool { return a < b }) }

func fnMax(p ...any) (any, error) { return extreme(p, func(a, b float64) bool { return a > b }) }

// textOf writes a value as text: numbers as a person writes them, a list
// with spaces between its items (as XLSForm writes a multiple choice),
// nothing for an unanswered question.
func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, " ")
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if s := textOf(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	case time.Time:
		return x.Format(time.DateOnly)
	}
	if f, ok := toFloat(v); ok {
		return formatNumber(f)
	}
	return fmt.Sprint(v)
}

// fnConcat joins its arguments as text.
func fnConcat(p ...any) (any, error) {
	var b strings.Builder
	for _, v := range p {
		b.WriteString(textOf(v))
	}
	return b.String(), nil
}

// fnCoalesce is its first answered argument, or nil.
func fnCoalesce(p ...any) (any, error) {
	for _, v := range p {
		if ok, _ := fnAnswered(v); ok == true {
			return v, nil
		}
	}
	return nil, nil
}

// oneNumber reads the number of a single argument; ok is false when it is
// unanswered.
func oneNumber(v any) (x float64, ok bool, err error) {
	x, ok, empty := parseNumber(v)
	switch {
	case empty:
		return 0, false, nil
	case !ok:
		return 0, false, errNotNumber
	}
	return x, true, nil
}

// fnInt drops the fraction of a number, towards zero.
func fnInt(p ...any) (any, error) {
	x, ok, err := oneNumber(p[0])
	if !ok {
		return nil, err
	}
	return math.Trunc(x), nil
}

// fnRound rounds a number to whole units, or to the number of decimals
// given (round(2.345, 2) is 2.35), halves away from zero.
func fnRound(p ...any) (any, error) {
	x, ok, err := oneNumber(p[0])
	if !ok {
		return nil, err
	}
	digits := 0.0
	if len(p) > 1 {
		d, ok, err := oneNumber(p[1])
		if !ok || d != math.Trunc(d) || math.Abs(d) > 15 {
			return nil, cmpErr(err, errors.New("round() takes a whole number of decimals, at most 15"))
		}
		digits = d
	}
	scale := math.Pow(10, digits)
	return math.Round(x*scale) / scale, nil
}

func cmpErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// fnDate reads a date: text starting YYYY-MM-DD (a date answer, or a date
// and time), or a number of days since 1970-01-01, as XLSForm counts them.
// It gives the date as a date answer is written, YYYY-MM-DD.
func fnDate(p ...any) (any, error) {
	switch v := p[0].(type) {
	case nil:
		return nil, nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return nil, nil
		}
		if len(s) >= len(time.DateOnly) {
			if t, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)]); err == nil {
				return t.Format(time.DateOnly), nil
			}
		}
		return nil, fmt.Errorf("%q is not a date", s)
	case time.Time:
		return v.Format(time.DateOnly), nil
	}
	days, ok := toFloat(p[0])
	if !ok || math.IsNaN(days) || math.Abs(days) > 1e6 {
		return nil, errors.New("date() takes a date or a number of days")
	}
	return time.Unix(0, 0).UTC().AddDate(0, 0, int(math.Floor(days))).Format(time.DateOnly), nil
}

// fnMod is the remainder of a division, for decimals too (XLSForm's mod);
// expr's % takes whole numbers only.
func fnMod(p ...any) (any, error) {
	a, ok1 := toFloat(p[0])
	b, ok2 := toFloat(p[1])
	if !ok1 || !ok2 || b == 0 {
		return nil, errNotNumber
	}
	m := math.Mod(a, b)
	if a == math.Trunc(a) && b == math.Trunc(b) && isInts(p[0], p[1]) {
		return int(m), nil
	}
	return m, nil
}

// isInts reports whether both operands are Go ints, as expr's integer
// literals are: 7 % 2 stays an int.
func isInts(a, b any) bool {
	_, x := a.(int)
	_, y := b.(int)
	return x && y
}

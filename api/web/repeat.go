package web

import (
	"strconv"

	"github.com/unodc-csu/agora/forms"
)

// RepeatView is a repeat: its entries, each with the repeat's questions,
// and the buttons that add and remove entries. They are submit buttons of
// the page's form (action add:KEY, remove:KEY.N), so that they work
// without JavaScript: the page is saved and shown again.
type RepeatView struct {
	// Key names the repeat's fields: "members", or "members.2.jobs" inside
	// an entry. Count is posted as KEY.entries, so that the entries shown
	// are the entries read back.
	Key     string
	Count   int
	Entries []EntryView
	// Add is the action of the add button, empty when the number of
	// entries is fixed (repeat_count) or at its maximum.
	Add string
}

// EntryView is one entry of a repeat.
type EntryView struct {
	ID        string
	Number    int
	Questions []*QuestionView
	// Remove is the action of its remove button; empty when the number of
	// entries is fixed.
	Remove string
}

// repeat builds the entries of repeat q.
func (v *Visit) repeat(qv *QuestionView, q *forms.Question, src source, prefix string, shown *forms.Shown) {
	qv.Kind = kindRepeat
	key := prefix + q.Code
	n := 0
	if shown != nil {
		n = shown.Entries[key]
	}
	rv := &RepeatView{Key: key, Count: n}
	free := q.RepeatCount == ""
	if free && (q.Max == nil || float64(n) < *q.Max) && n < forms.MaxRepeatEntries {
		rv.Add = "add:" + key
	}
	for i := range n {
		ep := entryPrefix(prefix, q.Code, i)
		e := EntryView{ID: qv.ID + "-" + strconv.Itoa(i+1), Number: i + 1}
		if free {
			e.Remove = "remove:" + key + "." + strconv.Itoa(i+1)
		}
		esrc := src.entry(q.Code, i)
		for ci := range q.Questions {
			c := &q.Questions[ci]
			if c.Type == forms.TypeCalculate || shown == nil || !shown.Visible[ep+c.Code] {
				continue
			}
			e.Questions = append(e.Questions, v.questionAt(c, esrc, ep, shown))
		}
		rv.Entries = append(rv.Entries, e)
	}
	qv.Repeat = rv
}

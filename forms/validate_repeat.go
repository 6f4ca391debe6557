package forms

import "fmt"

// repeat checks what only repeats have: their questions, asked once per
// entry, and the expression that may count the entries.
func (v *validator) repeat(path string, q *Question, depth int) {
	if q.Type != TypeRepeat {
		if len(q.Questions) > 0 {
			v.ve.Add(path+"/questions", "only repeat questions have questions")
		}
		if q.RepeatCount != "" {
			v.ve.Add(path+"/repeat_count", "only repeat questions have a repeat_count")
		}
		return
	}
	if depth+1 > MaxRepeatDepth {
		v.ve.Add(path, "repeats nest at most %d deep: this one is in %d other repeats", MaxRepeatDepth, depth)
		return
	}
	if q.RepeatCount != "" && (q.Min != nil || q.Max != nil) {
		v.ve.Add(path+"/repeat_count", "repeat_count sets the number of entries; min and max apply only without it")
	}
	if len(q.Questions) == 0 {
		v.ve.Add(path+"/questions", "a repeat needs at least one question")
	}
	for i := range q.Questions {
		v.question(fmt.Sprintf("%s/questions/%d", path, i), &q.Questions[i], depth+1)
	}
}

package mail

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"time"
)

// Kinds of message.
const (
	// KindInvitation carries a stakeholder's personal link for the first
	// time.
	KindInvitation = "invitation"
	// KindReminder goes to the invited who have not submitted yet.
	KindReminder = "reminder"
)

// Kinds are the kinds of message, in the order pages offer them.
var Kinds = []string{KindInvitation, KindReminder}

// Languages are the languages a message is written in: the six official
// languages of the United Nations.
var Languages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// Content is what one message says: the consultation and the stakeholder.
type Content struct {
	Kind         string
	Language     string
	Title        string
	Purpose      string // forms' purpose code: issue_identification, ...
	Anonymity    string // forms.AnonymityNamed, ...
	ClosesAt     *time.Time
	Organization string
	// Link is the personal link, or a placeholder in a preview.
	Link string
}

// Composed is a message's words in one language.
type Composed struct {
	Language string
	Subject  string
	Text     string
	HTML     string
}

// Lang returns the language a message in lang is written in: lang itself
// when it is one of Languages, English otherwise.
func Lang(lang string) string {
	if slices.Contains(Languages, lang) {
		return lang
	}
	return "en"
}

// Compose writes the message that c describes, in c.Language.
func Compose(c Content) (Composed, error) {
	lang := Lang(c.Language)
	t := texts[lang]
	fill := strings.NewReplacer(
		"{title}", oneLine(c.Title),
		"{organization}", oneLine(c.Organization),
		"{date}", closingDate(c.ClosesAt),
	)
	say := func(key string) string { return fill.Replace(t[key]) }
	kind := KindInvitation
	if c.Kind == KindReminder {
		kind = KindReminder
	}
	paras := []string{say("greeting"), say("intro." + kind)}
	if p := t["purpose."+c.Purpose]; p != "" {
		paras = append(paras, p)
	}
	if c.ClosesAt != nil {
		paras = append(paras, say("closes"))
	} else {
		paras = append(paras, say("closes.none"))
	}
	personal := say("link.personal") + " " + say("link.replaces")
	anonymity := t["anonymity."+c.Anonymity]
	if anonymity == "" {
		anonymity = t["anonymity.named"]
	}
	after := []string{personal, anonymity}
	out := Composed{Language: lang, Subject: oneLine(say("subject." + kind))}

	var text strings.Builder
	for _, p := range paras {
		text.WriteString(p + "\n\n")
	}
	text.WriteString(say("link.intro") + "\n" + c.Link + "\n\n")
	for _, p := range after {
		text.WriteString(p + "\n\n")
	}
	text.WriteString(say("thanks") + "\n" + say("signature") + "\n\n-- \n" + say("footer") + "\n")
	out.Text = text.String()

	var html bytes.Buffer
	err := htmlBody.Execute(&html, map[string]any{
		"Lang": lang, "RTL": lang == "ar", "Title": out.Subject, "Before": paras, "LinkIntro": say("link.intro"),
		"Link": c.Link, "After": after, "Thanks": say("thanks"), "Signature": say("signature"), "Footer": say("footer"),
	})
	out.HTML = html.String()
	return out, err
}

// closingDate writes a closing time the same way in every language: ISO
// dates are read alike everywhere, and the time zone is said.
func closingDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// oneLine keeps typed text from breaking a header or a line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// htmlBody is the simple HTML alternative; the link is an anchor whose
// text is the link itself, so it can be checked before it is followed.
var htmlBody = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{if .RTL}}rtl{{else}}ltr{{end}}">
<head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
{{- range .Before}}
<p>{{.}}</p>
{{- end}}
<p>{{.LinkIntro}}<br><a href="{{.Link}}">{{.Link}}</a></p>
{{- range .After}}
<p>{{.}}</p>
{{- end}}
<p>{{.Thanks}}<br>{{.Signature}}</p>
<hr>
<p><small>{{.Footer}}</small></p>
</body>
</html>
`))

package staff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/xlsform"
)

// Uploading a questionnaire from the workspace: a JSON definition or an
// XLSForm workbook as a file, or JSON pasted in the form. A new code
// starts at version 1, a known code gets its next version (as POST
// /api/v1/questionnaires), and a draft's definition can be replaced. A
// refused upload shows every problem, located as its author knows it, and
// saves nothing.

// qnUploadView is the upload form.
type qnUploadView struct {
	Action string
	JSON   string     // what was pasted, kept after a refusal
	Target *qnVersion // the draft whose definition is replaced, or nil
}

// uploadProblem is a refused upload: the sentence that says so and the
// problems to list.
type uploadProblem struct {
	status   int
	sentence string
	problems []pageProblem
}

// Error returns the sentence that says what went wrong.
func (u *uploadProblem) Error() string { return u.sentence }

// NewQuestionnairePage answers GET /portal/questionnaires/new.
func (s *Pages) NewQuestionnairePage(c *gin.Context) {
	p := s.page(c, "questionnaires.upload_title", "questionnaires")
	p.Data = qnUploadView{Action: "/portal/questionnaires"}
	renderStaff(c, http.StatusOK, "questionnaires-upload", p)
}

// UploadQuestionnairePage answers POST /portal/questionnaires.
func (s *Pages) UploadQuestionnairePage(c *gin.Context) {
	p := s.page(c, "questionnaires.upload_title", "questionnaires")
	view := qnUploadView{Action: "/portal/questionnaires", JSON: c.PostForm("json")}
	def, warnings, err := s.uploadedDefinition(c, p, "")
	if err == nil {
		var q *forms.Questionnaire
		if q, err = s.forms.CreateQuestionnaire(c.Request.Context(), def, &httpkit.Principal(c).UserID); err == nil {
			s.uploaded(c, q.ID, "notice.questionnaires_uploaded", warnings)
			return
		}
	}
	s.uploadRefused(c, p, view, def, err)
}

// ReplaceQuestionnairePage answers GET /portal/questionnaires/:id/replace:
// the upload form for a draft.
func (s *Pages) ReplaceQuestionnairePage(c *gin.Context) {
	q, def, err := s.loadQuestionnaire(c)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := s.page(c, "questionnaires.replace_title", "questionnaires")
	target := newQnVersion(q, def)
	p.Data = qnUploadView{Action: fmt.Sprintf("/portal/questionnaires/%d/replace", q.ID), Target: &target}
	status := http.StatusOK
	if q.Status != forms.StatusDraft {
		p.Error, status = p.T("questionnaires.replace_published"), http.StatusConflict
	}
	renderStaff(c, status, "questionnaires-upload", p)
}

// ReplaceQuestionnaire answers POST /portal/questionnaires/:id/replace: the
// draft's definition becomes the uploaded one (same code).
func (s *Pages) ReplaceQuestionnaire(c *gin.Context) {
	q, old, err := s.loadQuestionnaire(c)
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := s.page(c, "questionnaires.replace_title", "questionnaires")
	target := newQnVersion(q, old)
	view := qnUploadView{Action: fmt.Sprintf("/portal/questionnaires/%d/replace", q.ID), JSON: c.PostForm("json"), Target: &target}
	def, warnings, err := s.uploadedDefinition(c, p, q.Code)
	if err == nil {
		if _, err = s.forms.UpdateQuestionnaire(c.Request.Context(), q.ID, def); err == nil {
			s.uploaded(c, q.ID, "notice.questionnaires_replaced", warnings)
			return
		}
	}
	s.uploadRefused(c, p, view, def, err)
}

// uploaded answers an accepted upload: the version's page, by a redirect,
// or shown at once with the workbook's warnings (what the import converted
// or left out), which a redirect could not carry.
func (s *Pages) uploaded(c *gin.Context, id uint, notice string, warnings []pageProblem) {
	if len(warnings) == 0 {
		redirectNotice(c, fmt.Sprintf("/portal/questionnaires/%d", id), notice)
		return
	}
	s.renderQuestionnaire(c, id, http.StatusOK, "", notice, warnings)
}

// uploadRefused shows the upload form again with what went wrong: 422 and
// the problems for a definition that does not hold, 409 with the reason
// for a code that has a draft already or a published version.
func (s *Pages) uploadRefused(c *gin.Context, p *staffPage, view qnUploadView, def *forms.Definition, err error) {
	var (
		up *uploadProblem
		ve *forms.ValidationError
		ce *forms.ConflictError
	)
	status := http.StatusUnprocessableEntity
	switch {
	case errors.As(err, &up):
		status, p.Error, p.Problems = up.status, up.sentence, up.problems
	case errors.As(err, &ve):
		p.Error = p.T("questionnaires.upload_invalid")
		p.Problems = definitionProblems(p, ve.Fields, def)
	case errors.As(err, &ce):
		status, p.Error = http.StatusConflict, ce.Reason
	default:
		s.failPage(c, err)
		return
	}
	p.Data = view
	renderStaff(c, status, "questionnaires-upload", p)
}

// uploadedDefinition reads the definition sent: the file when one was
// chosen, else the pasted JSON. code is the code a workbook without a
// form_id gets when a draft is replaced; a new upload takes it from the
// file's name. A workbook's refusal comes with its import report, and an
// accepted workbook with its warnings.
func (s *Pages) uploadedDefinition(c *gin.Context, p *staffPage, code string) (*forms.Definition, []pageProblem, error) {
	data, name, err := formFile(c, "file")
	if err != nil {
		return nil, nil, err
	}
	if data == nil {
		pasted := strings.TrimSpace(c.PostForm("json"))
		if pasted == "" {
			return nil, nil, &uploadProblem{status: http.StatusUnprocessableEntity, sentence: p.T("questionnaires.upload_nothing")}
		}
		def, err := decodeDefinition(p, []byte(pasted))
		return def, nil, err
	}
	if !strings.HasSuffix(strings.ToLower(name), ".xlsx") && !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		def, err := decodeDefinition(p, data)
		return def, nil, err
	}
	known, err := s.forms.ThemeKnown(c.Request.Context())
	if err != nil {
		return nil, nil, err
	}
	if code == "" {
		code = httpkit.CodeFromFilename(name)
	}
	def, rep, err := xlsform.Import(c.Request.Context(), bytes.NewReader(data), xlsform.Options{ThemeKnown: known, Code: code})
	if err != nil {
		up := &uploadProblem{status: http.StatusUnprocessableEntity, sentence: p.T("questionnaires.upload_workbook_refused")}
		up.problems = reportRows(rep.Errors())
		return nil, nil, up
	}
	return def, reportRows(rep.Warnings()), nil
}

// reportRows lists import report items as the page shows them: the row,
// where to look (a cell, else a column), and the message.
func reportRows(items []xlsform.Item) []pageProblem {
	var rows []pageProblem
	for _, it := range items {
		where := it.Cell
		if where == "" {
			where = it.Column
		}
		rows = append(rows, pageProblem{Row: it.Row, Field: where, Problem: it.Message})
	}
	return rows
}

// decodeDefinition reads a JSON definition as the API does: strictly, an
// unknown field being a problem rather than silently ignored.
func decodeDefinition(p *staffPage, data []byte) (*forms.Definition, error) {
	var def forms.Definition
	err := httpkit.DecodeStrict(data, &def)
	if err == nil {
		return &def, nil
	}
	e := httpkit.ToError(err)
	if e == nil {
		return nil, err
	}
	up := &uploadProblem{status: http.StatusUnprocessableEntity, sentence: p.T("questionnaires.upload_bad_json")}
	up.problems = definitionProblems(p, e.Fields, nil)
	if len(e.Fields) == 0 {
		up.problems = append(up.problems, pageProblem{Field: "JSON", Problem: e.Message})
	}
	return nil, up
}

// formFile reads an uploaded file of a multipart form; nil when none was
// chosen (browsers send an empty part then).
func formFile(c *gin.Context, field string) ([]byte, string, error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || (err == nil && fh.Size == 0 && fh.Filename == "") {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", httpkit.UploadError(err)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, "", httpkit.UploadError(err)
	}
	return data, fh.Filename, nil
}

// definitionProblems lists the problems of a definition with their JSON
// pointers made readable.
func definitionProblems(p *staffPage, fields []forms.FieldError, def *forms.Definition) []pageProblem {
	out := make([]pageProblem, 0, len(fields))
	for _, f := range fields {
		out = append(out, pageProblem{Field: readablePath(p, f.Path, def), Problem: f.Message})
	}
	return out
}

// readablePath turns a JSON pointer into words: "/sections/1/questions/2/options"
// reads "section 2 (profile) › question 3 (q_type) › options", with the
// codes when the definition is at hand.
func readablePath(p *staffPage, ptr string, def *forms.Definition) string {
	if ptr == "" || ptr == "/" {
		return p.T("questionnaires.loc_whole")
	}
	tokens := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(tokens[i], "~1", "/"), "~0", "~")
	}
	var (
		parts []string
		sec   *forms.Section
		q     *forms.Question
	)
	for i := 0; i < len(tokens); i++ {
		tok := tokens[i]
		n, err := -1, error(nil)
		if i+1 < len(tokens) {
			n, err = strconv.Atoi(tokens[i+1])
		}
		key := map[string]string{"sections": "questionnaires.loc_section", "questions": "questionnaires.loc_question",
			"options": "questionnaires.loc_option", "scale": "questionnaires.loc_scale", "rows": "questionnaires.loc_row"}[tok]
		if key == "" || err != nil || n < 0 {
			parts = append(parts, tok)
			continue
		}
		i++
		part := p.T(key, "n", n+1)
		switch {
		case tok == "sections" && def != nil && n < len(def.Sections):
			sec = &def.Sections[n]
			part = withCode(part, sec.Code)
		case tok == "questions" && sec != nil && n < len(sec.Questions):
			q = &sec.Questions[n]
			part = withCode(part, q.Code)
		case tok == "options" && q != nil && n < len(q.Options):
			part = withCode(part, q.Options[n].Code)
		case tok == "rows" && q != nil && n < len(q.Rows):
			part = withCode(part, q.Rows[n].Code)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " › ")
}

func withCode(part, code string) string {
	if code == "" {
		return part
	}
	return part + " (" + code + ")"
}

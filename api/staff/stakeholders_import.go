package staff

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
)

// The registry's import in the workspace: the upload form, which explains
// the columns and offers the template, and the result with its row report.

// stakeholderImportView is the import page: the expected columns, and
// after an upload its outcome.
type stakeholderImportView struct {
	Columns []importColumnView
	// Result is the import's outcome, nil before an upload.
	Result   *forms.ImportResult
	FileName string
	// Rows is the number of rows read (created, skipped and duplicates).
	Rows int
}

// importColumnView is one column an import reads, with what it holds.
type importColumnView struct {
	Name     string
	Required bool
	// Hint is the catalog key that says what the column holds.
	Hint string
}

// importColumnHints are the catalog keys of the columns' explanations, by
// the columns' names in forms.StakeholderImportColumns.
var importColumnHints = map[string]string{
	"Organization": "stakeholders.col_organization", "Type": "stakeholders.col_type", "Subtype": "stakeholders.col_subtype",
	"Country": "stakeholders.col_country", "Email": "stakeholders.col_email", "Contact name": "stakeholders.col_contact",
	"Themes": "stakeholders.col_themes", "ECOSOC status": "stakeholders.col_ecosoc", "Hub consent": "stakeholders.col_consent",
	"Language": "stakeholders.col_language", "Notes": "stakeholders.col_notes",
}

func newStakeholderImportView() *stakeholderImportView {
	v := &stakeholderImportView{}
	names, required := forms.StakeholderImportColumns()
	for i, n := range names {
		v.Columns = append(v.Columns, importColumnView{Name: n, Required: required[i], Hint: importColumnHints[n]})
	}
	return v
}

// StakeholderImportPage answers GET /portal/stakeholders/import: the
// upload form, with the columns the file may have.
func (s *Pages) StakeholderImportPage(c *gin.Context) {
	p := s.page(c, "stakeholders.import_title", "stakeholders")
	p.Data = newStakeholderImportView()
	renderStaff(c, http.StatusOK, "stakeholders-import", p)
}

// ImportStakeholdersPage imports the uploaded file (the form's field
// "file") and shows how each row fared. A file that cannot be read at all
// shows the import form again with the reason.
func (s *Pages) ImportStakeholdersPage(c *gin.Context) {
	p := s.page(c, "stakeholders.import_title", "stakeholders")
	view := newStakeholderImportView()
	p.Data = view
	fh, err := c.FormFile("file")
	if err != nil {
		p.Error = p.T("stakeholders.import_no_file")
		renderStaff(c, http.StatusUnprocessableEntity, "stakeholders-import", p)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.failPage(c, err)
		return
	}
	defer func() { _ = f.Close() }()
	u := httpkit.Principal(c)
	res, err := s.forms.ImportStakeholders(c.Request.Context(), u.Scope(), fh.Filename, f, &u.UserID)
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ve):
		p.Error = p.T("stakeholders.import_unreadable")
		p.Problems = fieldProblems(ve.Fields)
		renderStaff(c, http.StatusUnprocessableEntity, "stakeholders-import", p)
		return
	case err != nil:
		s.failPage(c, err)
		return
	}
	view.Result, view.FileName = res, fh.Filename
	view.Rows = res.Created + res.Skipped + res.Duplicates
	p.Title = p.T("stakeholders.import_result_title")
	renderStaff(c, http.StatusOK, "stakeholders-import-result", p)
}

// StakeholderTemplate downloads an empty workbook with the import's
// header row.
func (s *Pages) StakeholderTemplate(c *gin.Context) {
	var buf bytes.Buffer
	if err := forms.WriteStakeholderTemplate(&buf); err != nil {
		s.failPage(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="stakeholders-template.xlsx"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

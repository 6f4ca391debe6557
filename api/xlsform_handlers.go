package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms/xlsform"
)

// importedQuestionnaire is the answer to an XLSForm import: the draft, as
// POST /questionnaires answers it, and what the import converted or skipped.
type importedQuestionnaire struct {
	questionnaireJSON
	Report []xlsform.Item `json:"report"`
}

// importQuestionnaire reads an XLSForm workbook (multipart field "file")
// into a new draft. A refused workbook is answered 422 with the problems
// located by cell ("survey!D7") and the whole report.
func (s *Server) importQuestionnaire(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes)
	data, filename, err := httpkit.UploadedFile(c, "file")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	known, err := s.forms.ThemeKnown(ctx)
	if err != nil {
		return err
	}
	def, rep, err := xlsform.Import(ctx, bytes.NewReader(data), xlsform.Options{ThemeKnown: known, Code: httpkit.CodeFromFilename(filename)})
	if err != nil {
		return failWithReport(c, err, rep)
	}
	q, err := s.forms.CreateQuestionnaire(ctx, def, &httpkit.Principal(c).UserID)
	if err != nil {
		return failWithReport(c, err, rep)
	}
	out, err := renderQuestionnaire(q, true)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, importedQuestionnaire{questionnaireJSON: out, Report: rep.Items})
	return nil
}

// exportXLSForm writes a questionnaire version as an XLSForm workbook, with
// every language.
func (s *Server) exportXLSForm(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.forms.Questionnaire(c.Request.Context(), id)
	if err != nil {
		return err
	}
	def, err := q.Decode()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsform.Export(def, &buf); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-v%d.xlsx"`, q.Code, q.Version))
	c.Data(http.StatusOK, xlsform.ContentType, buf.Bytes())
	return nil
}

// failWithReport renders an error of an import with the import's report
// beside it, so that the author sees every problem at once.
func failWithReport(c *gin.Context, err error, rep *xlsform.Report) error {
	e := httpkit.ToError(err)
	if e == nil {
		return err
	}
	c.AbortWithStatusJSON(e.Status, gin.H{"error": e, "report": rep.Items})
	return nil
}

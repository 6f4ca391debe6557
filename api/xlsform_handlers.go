package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
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
	data, filename, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	known, err := s.forms.ThemeKnown(ctx)
	if err != nil {
		return err
	}
	def, rep, err := xlsform.Import(ctx, bytes.NewReader(data), xlsform.Options{ThemeKnown: known, Code: codeFromFilename(filename)})
	if err != nil {
		return failWithReport(c, err, rep)
	}
	q, err := s.forms.CreateQuestionnaire(ctx, def, &principal(c).UserID)
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
	id, err := pathID(c, "id")
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
	e := toError(err)
	if e == nil {
		return err
	}
	c.AbortWithStatusJSON(e.Status, gin.H{"error": e, "report": rep.Items})
	return nil
}

// uploadedFile reads the multipart field named field as it streams in,
// returning its content and file name.
func uploadedFile(c *gin.Context, field string) ([]byte, string, error) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, "", badRequest("send the file as multipart/form-data, in a field named %q", field)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "no file was sent",
				Fields: []forms.FieldError{{Path: "/" + field, Message: "required: an XLSForm workbook (.xlsx)"}}}
		}
		if err != nil {
			return nil, "", uploadError(err)
		}
		if part.FormName() != field {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, "", uploadError(err)
		}
		return data, part.FileName(), nil
	}
}

// uploadError tells a body over the upload limit (413) from a broken
// multipart body (400).
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge
	}
	return badRequest("the upload could not be read: %v", err)
}

// codeFromFilename proposes a questionnaire code from the uploaded file's
// name, for workbooks whose settings have no form_id.
func codeFromFilename(name string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if base == "." || base == "/" {
		return ""
	}
	return strings.TrimSuffix(base, path.Ext(base))
}

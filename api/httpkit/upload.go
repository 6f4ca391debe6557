package httpkit

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
)

// UploadedFile reads the multipart field named field as it streams in,
// returning its content and file name.
func UploadedFile(c *gin.Context, field string) ([]byte, string, error) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, "", BadRequest("send the file as multipart/form-data, in a field named %q", field)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: "no file was sent",
				Fields: []forms.FieldError{{Path: "/" + field, Message: "required: an XLSForm workbook (.xlsx)"}}}
		}
		if err != nil {
			return nil, "", UploadError(err)
		}
		if part.FormName() != field {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, "", UploadError(err)
		}
		return data, part.FileName(), nil
	}
}

// UploadError tells a body over the upload limit (413) from a broken
// multipart body (400).
func UploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return ErrTooLarge
	}
	return BadRequest("the upload could not be read: %v", err)
}

// CodeFromFilename proposes a questionnaire code from the uploaded file's
// name, for workbooks whose settings have no form_id.
func CodeFromFilename(name string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if base == "." || base == "/" {
		return ""
	}
	return strings.TrimSuffix(base, path.Ext(base))
}

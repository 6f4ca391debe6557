package exports

import (
	"context"
	"io"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

// ConsultationRequest names a consultation workbook and who asks for it.
type ConsultationRequest struct {
	ConsultationID uint
	Scope          forms.Scope
	// Role is the requester's: with the consultation's anonymity mode it
	// decides what the workbook holds (forms.Access).
	Role     string
	Language string
	Codes    bool
	// RowLimit is the most rows per sheet (MaxRows when zero).
	RowLimit int
	Progress func(percent int)
}

// BuildConsultation loads what the consultation workbook needs, within the
// requester's scope (another country's consultation is forms.ErrNotFound),
// and writes it to w. Texts are listed up to analysis.MaxTextLimit per
// question on the Open answers sheet; every answer is on Responses, for
// the roles that may read responses row by row.
func BuildConsultation(ctx context.Context, db *gorm.DB, an *analysis.Analyzer, req ConsultationRequest, w io.Writer) error {
	store := forms.NewStore(db)
	c, err := store.Consultation(ctx, req.Scope, req.ConsultationID)
	if err != nil {
		return err
	}
	sum, err := an.Summary(ctx, req.Scope, analysis.Viewer{Role: req.Role}, c.ID, analysis.SummaryOptions{
		ByType: true, Language: req.Language, TextLimit: analysis.MaxTextLimit,
	})
	if err != nil {
		return err
	}
	q, err := store.Questionnaire(ctx, c.QuestionnaireID)
	if err != nil {
		return err
	}
	def, err := q.Decode()
	if err != nil {
		return err
	}
	access := forms.AccessTo(req.Role, c)
	var (
		total int64
		cur   ResponseCursor = noResponses{}
	)
	if access.Rows() {
		if err := db.WithContext(ctx).Table("responses").
			Where("consultation_id = ? AND status = ?", c.ID, forms.ResponseSubmitted).Count(&total).Error; err != nil {
			return err
		}
		if cur, err = OpenResponses(ctx, db, c.ID, access.Identities()); err != nil {
			return err
		}
	}
	defer cur.Close()
	if req.Progress != nil {
		req.Progress(5)
	}
	return WriteConsultation(w, ConsultationInput{
		Summary: sum, Consultation: c, Definition: def, Codes: req.Codes, Access: access,
		Responses: cur, Total: int(total), RowLimit: req.RowLimit, Progress: req.Progress,
	})
}

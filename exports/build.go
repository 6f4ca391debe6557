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
	Admin          bool
	Language       string
	Codes          bool
	// RowLimit is the most rows per sheet (MaxRows when zero).
	RowLimit int
	Progress func(percent int)
}

// BuildConsultation loads what the consultation workbook needs, within the
// requester's scope (another country's consultation is forms.ErrNotFound),
// and writes it to w. Texts are listed up to analysis.MaxTextLimit per
// question on the Open answers sheet; every answer is on Responses.
func BuildConsultation(ctx context.Context, db *gorm.DB, an *analysis.Analyzer, req ConsultationRequest, w io.Writer) error {
	store := forms.NewStore(db)
	c, err := store.Consultation(ctx, req.Scope, req.ConsultationID)
	if err != nil {
		return err
	}
	sum, err := an.Summary(ctx, req.Scope, analysis.Viewer{Admin: req.Admin}, c.ID, analysis.SummaryOptions{
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
	identify := IdentifyRespondents(req.Admin, c.Anonymity)
	var total int64
	if err := db.WithContext(ctx).Table("responses").
		Where("consultation_id = ? AND status = ?", c.ID, forms.ResponseSubmitted).Count(&total).Error; err != nil {
		return err
	}
	cur, err := OpenResponses(ctx, db, c.ID, identify)
	if err != nil {
		return err
	}
	defer cur.Close()
	if req.Progress != nil {
		req.Progress(5)
	}
	return WriteConsultation(w, ConsultationInput{
		Summary: sum, Consultation: c, Definition: def, Codes: req.Codes, Identify: identify,
		Admin: req.Admin, Responses: cur, Total: int(total), RowLimit: req.RowLimit, Progress: req.Progress,
	})
}

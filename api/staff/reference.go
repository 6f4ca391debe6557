package staff

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/audit"
)

// referenceView is the reference-data page: every country with its
// regional group and party statuses, and the form of the one being edited.
type referenceView struct {
	Countries   []forms.Country
	Statuses    map[string]map[string]forms.PartyStatus
	Groups      []string
	Instruments []string
	PartyKinds  []string
	// Edit is the country being edited, or nil on the list.
	Edit *forms.Country
}

// Group is a country's regional group code, or "".
func (v referenceView) Group(c forms.Country) string {
	if c.RegionalGroup == nil {
		return ""
	}
	return *c.RegionalGroup
}

// Status is a country's status for an instrument; Status is "" when none
// is recorded.
func (v referenceView) Status(iso3, instrument string) forms.PartyStatus {
	return v.Statuses[iso3][instrument]
}

// referencePage renders the list, or with iso3 the edit form of one
// country; problem, when set, says what a refused form got wrong.
func (s *Pages) referencePage(c *gin.Context, status int, iso3 string, problem *pageProblems) {
	ctx := c.Request.Context()
	page := s.page(c, "reference.title", "reference")
	if problem != nil {
		page.Error, page.Problems = problem.Error, problem.Problems
	}
	countries, err := s.forms.Countries(ctx)
	if err != nil {
		s.failPage(c, err)
		return
	}
	statuses, err := s.forms.AllPartyStatuses(ctx)
	if err != nil {
		s.failPage(c, err)
		return
	}
	v := referenceView{Countries: countries, Statuses: statuses, Groups: forms.RegionalGroupCodes,
		Instruments: forms.Instruments, PartyKinds: forms.PartyStatuses}
	if iso3 != "" {
		for i := range countries {
			if countries[i].ISO3 == iso3 {
				v.Edit = &countries[i]
			}
		}
		if v.Edit == nil {
			s.failPage(c, forms.ErrNotFound)
			return
		}
		page.Title = page.T("reference.edit_title", "country", v.Edit.Name)
	}
	page.Data = v
	renderStaff(c, status, "reference", page)
}

// AdminReference answers GET /admin/reference: the countries, their
// regional groups and their party status for each instrument.
func (s *Pages) AdminReference(c *gin.Context) { s.referencePage(c, http.StatusOK, "", nil) }

// AdminReferenceCountry answers GET /admin/reference/:iso3: the form that
// edits one country's regional group and party statuses.
func (s *Pages) AdminReferenceCountry(c *gin.Context) {
	s.referencePage(c, http.StatusOK, strings.ToUpper(c.Param("iso3")), nil)
}

// AdminReferenceSave answers POST /admin/reference/:iso3: the country's
// regional group and party statuses, each change recorded in the audit log
// with the values before and after.
func (s *Pages) AdminReferenceSave(c *gin.Context) {
	ctx := c.Request.Context()
	iso3 := strings.ToUpper(c.Param("iso3"))
	var ins []forms.PartyStatusInput
	for _, inst := range forms.Instruments {
		ins = append(ins, forms.PartyStatusInput{Instrument: inst, Status: c.PostForm("status_" + inst),
			Provisional: c.PostForm("provisional_"+inst) != "", Source: clipText(c.PostForm("source_"+inst), 1000)})
	}
	// Check the statuses before moving the group, so a refused form
	// changes nothing.
	if err := forms.CheckPartyStatuses(ins); err != nil {
		s.referenceFail(c, iso3, err)
		return
	}
	group, err := s.forms.SetRegionalGroup(ctx, iso3, c.PostForm("regional_group"))
	if err != nil {
		s.referenceFail(c, iso3, err)
		return
	}
	if !group.Empty() {
		s.recorder.Record(c, audit.ReferenceRegionalGroup, "country", iso3, iso3, group)
	}
	var by *uint
	if p := httpkit.Principal(c); p != nil {
		by = &p.UserID
	}
	parties, err := s.forms.SetPartyStatuses(ctx, iso3, ins, by)
	if err != nil {
		s.referenceFail(c, iso3, err)
		return
	}
	if !parties.Empty() {
		s.recorder.Record(c, audit.ReferencePartyStatus, "country", iso3, iso3, parties)
	}
	redirectNotice(c, "/admin/reference/"+iso3, "notice.saved")
}

// referenceFail shows a refused edit on the country's form, or fails.
func (s *Pages) referenceFail(c *gin.Context, iso3 string, err error) {
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		msg := staffCatalog.Messages(staffLang(c))
		s.referencePage(c, http.StatusUnprocessableEntity, iso3, &pageProblems{Error: msg.T("reference.invalid"), Problems: fieldProblems(ve.Fields)})
		return
	}
	s.failPage(c, err)
}

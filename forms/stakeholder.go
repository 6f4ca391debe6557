package forms

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Stakeholder organization types (DOMAIN.md: "ngo" covers CSOs).
const (
	StakeholderNGO               = "ngo"
	StakeholderAcademia          = "academia"
	StakeholderPrivateSector     = "private_sector"
	StakeholderGovernment        = "government"
	StakeholderIntergovernmental = "intergovernmental"
	StakeholderOther             = "other"
)

// StakeholderTypes lists every organization type, in display order.
var StakeholderTypes = []string{
	StakeholderNGO, StakeholderAcademia, StakeholderPrivateSector,
	StakeholderGovernment, StakeholderIntergovernmental, StakeholderOther,
}

// ECOSOC consultative statuses of an organization. "none" is the default:
// most organizations of a national mapping have no status with ECOSOC.
const (
	ECOSOCNone    = "none"
	ECOSOCGeneral = "general"
	ECOSOCSpecial = "special"
	ECOSOCRoster  = "roster"
)

// ECOSOCStatuses lists every value of Stakeholder.ECOSOCStatus.
var ECOSOCStatuses = []string{ECOSOCNone, ECOSOCGeneral, ECOSOCSpecial, ECOSOCRoster}

// DefaultStakeholderLanguage is the language of invitations when none is given.
const DefaultStakeholderLanguage = "en"

// Stakeholder is an organization mapped in one country, with a contact
// person. The email and contact name are personal data: they are never
// logged. A deleted stakeholder keeps its row (DeletedAt set), since
// invitations and responses will point at it, but leaves every listing.
type Stakeholder struct {
	ID           uint   `gorm:"primaryKey" json:"id"`
	Organization string `json:"organization"`
	Type         string `json:"type"`
	Subtype      string `json:"subtype"`
	Country      string `gorm:"column:country_iso3" json:"country"`
	Email        string `json:"email"`
	// EmailConfirmed is unset while an address a focal point entered or
	// changed awaits the CSU's confirmation: no personal link is sent to
	// it until then, so that a government cannot route a stakeholder's
	// link to itself.
	EmailConfirmed bool   `json:"email_confirmed"`
	ContactName    string `json:"contact_name"`
	ECOSOCStatus   string `gorm:"column:ecosoc_status" json:"ecosoc_status"`
	HubConsent     bool   `json:"hub_consent"`
	Language       string `json:"language"`
	Notes          string `json:"notes"`
	// Themes are the theme codes of the stakeholder's thematic areas, sorted;
	// stored in stakeholder_themes.
	Themes []string `gorm:"-" json:"themes"`
	// OrganizationKey is the folded organization name (case, accents and
	// spacing ignored) that finds duplicates.
	OrganizationKey string `json:"-"`
	// SearchText is the folded organization, contact and email, searched
	// with LIKE the same way on SQLite and PostgreSQL.
	SearchText string     `json:"-"`
	CreatedBy  *uint      `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	DeletedAt  *time.Time `json:"-"`
}

// TableName names the stakeholders' table.
func (Stakeholder) TableName() string { return "stakeholders" }

// StakeholderTheme tags a stakeholder with one theme code of the taxonomy.
type StakeholderTheme struct {
	StakeholderID uint   `gorm:"primaryKey;autoIncrement:false"`
	ThemeCode     string `gorm:"primaryKey"`
}

// TableName names the table of stakeholders' themes.
func (StakeholderTheme) TableName() string { return "stakeholder_themes" }

// StakeholderFilter narrows a stakeholder listing. Zero values do not filter.
type StakeholderFilter struct {
	Country string `json:"country" validate:"omitempty,country"`
	Type    string `json:"type" validate:"omitempty,oneof=ngo academia private_sector government intergovernmental other"`
	// Theme matches the code and every code below it: TIP finds TIP.ART3.
	Theme string `json:"theme" validate:"max=64"`
	// Q searches organization, contact name and email, ignoring case and accents.
	Q      string `json:"q" validate:"max=200"`
	Limit  int    `json:"limit" validate:"min=0,max=500"`
	Offset int    `json:"offset" validate:"min=0"`
}

// DefaultStakeholderLimit is the page size when a listing names none.
const DefaultStakeholderLimit = 50

// StakeholderPage is one page of a listing and the number of matches.
type StakeholderPage struct {
	Items []Stakeholder `json:"items"`
	Total int64         `json:"total"`
}

// CreateStakeholder validates in and adds it to the registry. The country
// must be in scope; a stakeholder of the same country with the same email
// or organization is a conflict.
func (s *Store) CreateStakeholder(ctx context.Context, scope Scope, in StakeholderInput, by *uint) (*Stakeholder, error) {
	if err := s.checkStakeholder(ctx, scope, &in); err != nil {
		return nil, err
	}
	st := in.stakeholder()
	st.CreatedBy = by
	st.EmailConfirmed = emailConfirmedBy(scope, st.Email)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockStakeholders(tx); err != nil {
			return err
		}
		if err := refuseDuplicate(tx, st); err != nil {
			return err
		}
		return insertStakeholders(tx, []*Stakeholder{st})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Stakeholder returns one stakeholder of the registry. One that is deleted
// or outside scope is ErrNotFound, so its existence does not leak.
func (s *Store) Stakeholder(ctx context.Context, scope Scope, id uint) (*Stakeholder, error) {
	var st Stakeholder
	if err := scopedStakeholders(s.db.WithContext(ctx), scope).Take(&st, id).Error; err != nil {
		return nil, notFound(err)
	}
	if err := loadStakeholderThemes(s.db.WithContext(ctx), []*Stakeholder{&st}); err != nil {
		return nil, err
	}
	return &st, nil
}

// Stakeholders lists the stakeholders in scope that match f, by
// organization, with the total number of matches for paging.
func (s *Store) Stakeholders(ctx context.Context, scope Scope, f StakeholderFilter) (*StakeholderPage, error) {
	f.normalize()
	if err := CheckInput(f); err != nil {
		return nil, err
	}
	if f.Limit == 0 {
		f.Limit = DefaultStakeholderLimit
	}
	db := s.db.WithContext(ctx)
	page := &StakeholderPage{Items: []Stakeholder{}}
	if err := f.apply(scopedStakeholders(db, scope)).Count(&page.Total).Error; err != nil {
		return nil, err
	}
	err := f.apply(scopedStakeholders(db, scope)).Order("organization_key, id").
		Limit(f.Limit).Offset(f.Offset).Find(&page.Items).Error
	if err != nil {
		return nil, err
	}
	ptrs := make([]*Stakeholder, len(page.Items))
	for i := range page.Items {
		ptrs[i] = &page.Items[i]
	}
	return page, loadStakeholderThemes(db, ptrs)
}

// UpdateStakeholder replaces every field of a stakeholder in scope. Moving
// it to another country needs that country in scope too.
func (s *Store) UpdateStakeholder(ctx context.Context, scope Scope, id uint, in StakeholderInput) (*Stakeholder, error) {
	if err := s.checkStakeholder(ctx, scope, &in); err != nil {
		return nil, err
	}
	next := in.stakeholder()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockStakeholders(tx); err != nil {
			return err
		}
		var old Stakeholder
		if err := scopedStakeholders(tx, scope).Take(&old, id).Error; err != nil {
			return notFound(err)
		}
		next.ID, next.CreatedBy, next.CreatedAt = old.ID, old.CreatedBy, old.CreatedAt
		next.EmailConfirmed = old.EmailConfirmed
		if !strings.EqualFold(old.Email, next.Email) {
			next.EmailConfirmed = emailConfirmedBy(scope, next.Email)
		}
		if err := refuseDuplicate(tx, next); err != nil {
			return err
		}
		next.UpdatedAt = time.Now().UTC()
		res := tx.Model(&Stakeholder{}).Where("id = ? AND deleted_at IS NULL", id).
			Select(stakeholderColumns).Updates(next)
		if res.Error != nil || res.RowsAffected == 0 {
			return notFound(cmp.Or(res.Error, gorm.ErrRecordNotFound))
		}
		if err := tx.Where("stakeholder_id = ?", id).Delete(&StakeholderTheme{}).Error; err != nil {
			return err
		}
		return insertThemes(tx, []*Stakeholder{next})
	})
	if err != nil {
		return nil, err
	}
	return next, nil
}

// emailConfirmedBy tells whether an address entered within scope is
// confirmed: one the CSU enters is; one a focal point enters awaits the
// CSU. No address has nothing to confirm.
func emailConfirmedBy(scope Scope, email string) bool { return scope.All || email == "" }

// ConfirmEmail records that the CSU checked a stakeholder's address, which
// may then receive personal links. Only the CSU's scope may.
func (s *Store) ConfirmEmail(ctx context.Context, scope Scope, id uint) (*Stakeholder, error) {
	if !scope.All {
		return nil, ErrForbidden
	}
	res := scopedStakeholders(s.db.WithContext(ctx), scope).Where("id = ?", id).Update("email_confirmed", true)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return s.Stakeholder(ctx, scope, id)
}

// DeleteStakeholder removes a stakeholder in scope from the registry. The
// row is kept with its deletion time, so that invitations and responses
// that point at it stay whole, but what identifies a person in it (the
// contact's name, the email address, the notes) is erased: the row keeps
// only the organization, its type, country and themes.
func (s *Store) DeleteStakeholder(ctx context.Context, scope Scope, id uint) error {
	now := time.Now().UTC()
	res := scopedStakeholders(s.db.WithContext(ctx), scope).Where("id = ?", id).
		Updates(map[string]any{"deleted_at": now, "updated_at": now, "contact_name": "", "email": "", "notes": "", "search_text": ""})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// stakeholderColumns are the columns an update replaces.
var stakeholderColumns = []string{
	"organization", "organization_key", "type", "subtype", "country_iso3", "email", "email_confirmed", "contact_name",
	"ecosoc_status", "hub_consent", "language", "notes", "search_text", "updated_at",
}

// scopedStakeholders starts every query over the registry: only live rows,
// only the scope's countries.
func scopedStakeholders(db *gorm.DB, scope Scope) *gorm.DB {
	q := db.Model(&Stakeholder{}).Where("stakeholders.deleted_at IS NULL")
	if !scope.All {
		q = q.Where("stakeholders.country_iso3 IN ?", scope.Countries)
	}
	return q
}

// apply adds the filter's conditions to q. Values go in as parameters; the
// LIKE patterns escape the user's wildcards.
func (f StakeholderFilter) apply(q *gorm.DB) *gorm.DB {
	if f.Country != "" {
		q = q.Where("stakeholders.country_iso3 = ?", f.Country)
	}
	if f.Type != "" {
		q = q.Where("stakeholders.type = ?", f.Type)
	}
	if f.Theme != "" {
		q = q.Where(`stakeholders.id IN (SELECT stakeholder_id FROM stakeholder_themes
			WHERE theme_code = ? OR theme_code LIKE ? ESCAPE '\')`, f.Theme, likeEscape(f.Theme)+".%")
	}
	if f.Q != "" {
		q = q.Where(`stakeholders.search_text LIKE ? ESCAPE '\'`, "%"+likeEscape(fold(f.Q))+"%")
	}
	return q
}

// refuseDuplicate answers a ConflictError when another live stakeholder of
// the same country has st's email or organization. Only the country's
// records are compared: they are in the caller's scope, so the answer
// reveals nothing about other countries' registries.
func refuseDuplicate(tx *gorm.DB, st *Stakeholder) error {
	q := tx.Model(&Stakeholder{}).Where("deleted_at IS NULL AND country_iso3 = ? AND id <> ?", st.Country, st.ID)
	if st.Email != "" {
		q = q.Where("email = ? OR organization_key = ?", st.Email, st.OrganizationKey)
	} else {
		q = q.Where("organization_key = ?", st.OrganizationKey)
	}
	var other Stakeholder
	err := q.Order("id").Limit(1).Find(&other).Error
	if err != nil || other.ID == 0 {
		return err
	}
	what := "the same organization"
	if st.Email != "" && other.Email == st.Email {
		what = "the same email"
	}
	return &ConflictError{Reason: fmt.Sprintf("stakeholder %d of %s already has %s", other.ID, st.Country, what)}
}

// insertStakeholders stores new stakeholders and their themes.
func insertStakeholders(tx *gorm.DB, sts []*Stakeholder) error {
	if len(sts) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(sts, 200).Error; err != nil {
		return err
	}
	return insertThemes(tx, sts)
}

func insertThemes(tx *gorm.DB, sts []*Stakeholder) error {
	var rows []StakeholderTheme
	for _, st := range sts {
		for _, code := range st.Themes {
			rows = append(rows, StakeholderTheme{StakeholderID: st.ID, ThemeCode: code})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 500).Error
}

// loadStakeholderThemes fills the Themes of sts with one query.
func loadStakeholderThemes(db *gorm.DB, sts []*Stakeholder) error {
	if len(sts) == 0 {
		return nil
	}
	byID := make(map[uint]*Stakeholder, len(sts))
	ids := make([]uint, len(sts))
	for i, st := range sts {
		st.Themes = []string{}
		byID[st.ID], ids[i] = st, st.ID
	}
	var rows []StakeholderTheme
	if err := db.Where("stakeholder_id IN ?", ids).Order("theme_code").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if st := byID[r.StakeholderID]; st != nil {
			st.Themes = append(st.Themes, r.ThemeCode)
		}
	}
	return nil
}

// stakeholderLockKey names the PostgreSQL advisory lock of registry writes.
var stakeholderLockKey = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("agora stakeholder registry"))
	return int64(h.Sum64() >> 1)
}()

// lockStakeholders serializes writes to the registry until tx ends, so that
// two instances cannot both pass the duplicate check with the same contact.
// SQLite's immediate transactions already take the database's write lock.
func lockStakeholders(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", stakeholderLockKey).Error
}

// sortedUnique returns codes sorted without repeats, never nil, so that
// "themes" is a list in JSON even when empty.
func sortedUnique(codes []string) []string {
	out := append([]string{}, codes...)
	slices.Sort(out)
	return slices.Compact(out)
}

package forms

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Instruments are the codes of the Convention and its three Protocols, in
// the order the review lists them.
var Instruments = []string{"UNTOC", "TIP", "SOM", "FA"}

// Party statuses of a country for one instrument.
const (
	PartyParty     = "party"     // ratified, accepted, approved or acceded
	PartySignatory = "signatory" // signed, not (yet) a party
	PartyNone      = "not_party" // neither signed nor a party
)

// PartyStatuses lists every status a country may have for an instrument.
var PartyStatuses = []string{PartyParty, PartySignatory, PartyNone}

// PartyStatus is a country's status for one instrument. It is provisional
// until the CSU has confirmed it against the depositary's record (the UN
// Treaty Collection); a provisional status limits input all the same.
//
// A country with no status recorded for any instrument is not limited:
// Agora does not guess treaty status. Once one instrument is recorded, the
// country's input (a consultation's cluster, a pilot's focus themes, an
// activity's themes) is limited to the instruments it is party to, and the
// cross-cutting themes and working groups.
type PartyStatus struct {
	CountryISO3 string    `gorm:"column:country_iso3;primaryKey;size:3" json:"country"`
	Instrument  string    `gorm:"primaryKey;size:16" json:"instrument"`
	Status      string    `gorm:"size:16;not null" json:"status"`
	Provisional bool      `gorm:"not null" json:"provisional"`
	Source      string    `gorm:"size:300;not null;default:''" json:"source,omitempty"`
	UpdatedBy   *uint     `json:"-"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TableName names the table of party statuses.
func (PartyStatus) TableName() string { return "party_statuses" }

// PartyStatusInput records a country's status for one instrument.
type PartyStatusInput struct {
	Instrument  string `json:"instrument"`
	Status      string `json:"status"`
	Provisional bool   `json:"provisional"`
	Source      string `json:"source"`
}

// ReferenceChange is what a reference-data edit changed, for the audit log:
// the values before and after, by field.
type ReferenceChange struct {
	Country string         `json:"country"`
	Before  map[string]any `json:"before"`
	After   map[string]any `json:"after"`
}

// Empty reports whether the edit changed nothing.
func (c ReferenceChange) Empty() bool { return len(c.After) == 0 }

// PartyStatusesOf returns the statuses recorded for a country, in the order
// of Instruments.
func (s *Store) PartyStatusesOf(ctx context.Context, iso3 string) ([]PartyStatus, error) {
	var out []PartyStatus
	if err := s.db.WithContext(ctx).Where("country_iso3 = ?", iso3).Find(&out).Error; err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b PartyStatus) int {
		return slices.Index(Instruments, a.Instrument) - slices.Index(Instruments, b.Instrument)
	})
	return out, nil
}

// AllPartyStatuses returns every recorded status, keyed by country then
// instrument.
func (s *Store) AllPartyStatuses(ctx context.Context) (map[string]map[string]PartyStatus, error) {
	var rows []PartyStatus
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]map[string]PartyStatus{}
	for _, r := range rows {
		if out[r.CountryISO3] == nil {
			out[r.CountryISO3] = map[string]PartyStatus{}
		}
		out[r.CountryISO3][r.Instrument] = r
	}
	return out, nil
}

// InstrumentLimit tells which themes a country's input may name: allowed
// reports whether theme code is open to it. A country without any recorded
// status is not limited.
func (s *Store) InstrumentLimit(ctx context.Context, iso3 string) (allowed func(code string) bool, err error) {
	statuses, err := s.PartyStatusesOf(ctx, iso3)
	if err != nil {
		return nil, err
	}
	if len(statuses) == 0 {
		return func(string) bool { return true }, nil
	}
	party := map[string]bool{}
	for _, st := range statuses {
		party[st.Instrument] = st.Status == PartyParty
	}
	return func(code string) bool {
		inst, _, _ := strings.Cut(code, ".")
		if !slices.Contains(Instruments, inst) {
			return true // cross-cutting themes and working groups
		}
		return party[inst]
	}, nil
}

// SetPartyStatuses records a country's statuses for the instruments listed
// in ins, in one transaction, and returns what changed. An unknown country
// is not found; an unknown instrument or status is refused by field
// (/instruments/UNTOC/status).
func (s *Store) SetPartyStatuses(ctx context.Context, iso3 string, ins []PartyStatusInput, by *uint) (ReferenceChange, error) {
	change := ReferenceChange{Country: iso3, Before: map[string]any{}, After: map[string]any{}}
	if err := CheckPartyStatuses(ins); err != nil {
		return change, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("iso3 = ?", iso3).First(&Country{}).Error; err != nil {
			return notFound(err)
		}
		for _, in := range ins {
			var old PartyStatus
			err := tx.Where("country_iso3 = ? AND instrument = ?", iso3, in.Instrument).First(&old).Error
			exists := err == nil
			if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
			same := old.Status == in.Status && old.Provisional == in.Provisional && old.Source == in.Source
			if exists && same || !exists && in.Status == "" {
				continue
			}
			change.Before[in.Instrument] = nil
			if exists {
				change.Before[in.Instrument] = partyValue(old.Status, old.Provisional, old.Source)
			}
			if in.Status == "" { // no longer recorded
				change.After[in.Instrument] = nil
				if err := tx.Delete(&old).Error; err != nil {
					return err
				}
				continue
			}
			change.After[in.Instrument] = partyValue(in.Status, in.Provisional, in.Source)
			row := PartyStatus{CountryISO3: iso3, Instrument: in.Instrument, Status: in.Status,
				Provisional: in.Provisional, Source: in.Source, UpdatedBy: by, UpdatedAt: time.Now().UTC()}
			if err := tx.Save(&row).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return change, err
}

// partyValue is a status as the audit log records it.
func partyValue(status string, provisional bool, source string) map[string]any {
	return map[string]any{"status": status, "provisional": provisional, "source": source}
}

// SetRegionalGroup moves a country into a regional group, or out of every
// group with "", and returns what changed.
func (s *Store) SetRegionalGroup(ctx context.Context, iso3, group string) (ReferenceChange, error) {
	change := ReferenceChange{Country: iso3, Before: map[string]any{}, After: map[string]any{}}
	group = strings.ToUpper(strings.TrimSpace(group))
	if _, ok := RegionalGroups[group]; group != "" && !ok {
		ve := &ValidationError{Message: "invalid regional group"}
		ve.Add("/regional_group", "unknown regional group %q (known: %s)", group, strings.Join(RegionalGroupCodes, ", "))
		return change, ve
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Country
		if err := tx.Where("iso3 = ?", iso3).First(&c).Error; err != nil {
			return notFound(err)
		}
		old := ""
		if c.RegionalGroup != nil {
			old = *c.RegionalGroup
		}
		if old == group {
			return nil
		}
		change.Before["regional_group"], change.After["regional_group"] = old, group
		var v *string
		if group != "" {
			v = &group
		}
		return tx.Model(&Country{}).Where("iso3 = ?", iso3).Update("regional_group", v).Error
	})
	return change, err
}

// CheckPartyStatuses checks statuses before they are recorded: known
// instruments, each once, known statuses ("" removes one), a source of at
// most 300 characters. Sources are trimmed in place.
func CheckPartyStatuses(ins []PartyStatusInput) error {
	ve := &ValidationError{Message: "invalid party status"}
	seen := map[string]bool{}
	for i := range ins {
		in := &ins[i]
		in.Source = strings.TrimSpace(in.Source)
		path := "/instruments/" + in.Instrument
		switch {
		case !slices.Contains(Instruments, in.Instrument):
			ve.Add(path, "unknown instrument %q (known: %s)", in.Instrument, strings.Join(Instruments, ", "))
		case seen[in.Instrument]:
			ve.Add(path, "%s is listed twice", in.Instrument)
		}
		seen[in.Instrument] = true
		if in.Status != "" && !slices.Contains(PartyStatuses, in.Status) {
			ve.Add(path+"/status", "unknown status %q (known: %s)", in.Status, strings.Join(PartyStatuses, ", "))
		}
		if len(in.Source) > 300 {
			ve.Add(path+"/source", "is %d characters long, at most 300", len(in.Source))
		}
	}
	return ve.OrNil()
}

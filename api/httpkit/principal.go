package httpkit

import (
	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/exports"
	"github.com/unodc-csu/agora/forms/accounts"
)

const principalKey = "agora.principal"

// SetPrincipal stores the authenticated caller of the request.
func SetPrincipal(c *gin.Context, p *accounts.Principal) { c.Set(principalKey, p) }

// Principal returns the authenticated caller, or nil.
func Principal(c *gin.Context) *accounts.Principal {
	v, ok := c.Get(principalKey)
	if !ok {
		return nil
	}
	p, _ := v.(*accounts.Principal)
	return p
}

// Viewer is what disclosure control needs to know of the caller.
func Viewer(p *accounts.Principal) analysis.Viewer {
	return analysis.Viewer{Admin: p.Role == accounts.RoleAdmin}
}

// Requester is who asks for an export: their id, countries and role.
func Requester(p *accounts.Principal) exports.Requester {
	return exports.Requester{UserID: p.UserID, Scope: p.Scope(), Admin: p.Role == accounts.RoleAdmin}
}

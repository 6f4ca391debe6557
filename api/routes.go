package api

import (
	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms/accounts"
)

// routes is the whole route table: every path, who may call it, and the
// handler. Reading this one function tells what Agora exposes.
func (s *Server) routes(r *gin.Engine) {
	r.Use(recovery(), securityHeaders(s.cfg.HSTS), s.limitRate(), limitBody(s.cfg.MaxBodyBytes, s.cfg.MaxUploadBytes), refuseNUL())
	r.NoRoute(func(c *gin.Context) { fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) {
		fail(c, &Error{Status: 405, Code: "method_not_allowed", Message: "this method is not allowed here"})
	})

	r.GET("/healthz", s.healthz)

	// The stakeholder's survey pages (HTML, no JavaScript needed).
	r.GET("/static/*file", s.serveStatic)
	r.GET("/s/:token", s.surveyPage)
	r.POST("/s/:token", s.surveyPost)

	// The staff's pages: login, one-time password links, the portal.
	r.GET("/login", s.loginPage)
	r.POST("/login", s.login)
	r.POST("/logout", s.authenticate, s.logout)
	r.GET("/password/:token", s.passwordPage)
	r.POST("/password/:token", s.setPassword)
	r.GET("/portal", s.pageSession, s.portal)
	r.POST("/portal/exports", s.pageSession, s.portalExport)
	r.GET("/portal/exports/:id", s.pageSession, s.exportPage)
	r.GET("/portal/consultations/new", s.pageSession, requireRole(accounts.RoleAdmin), s.consultationNewPage)
	r.POST("/portal/consultations", s.pageSession, requireRole(accounts.RoleAdmin), s.consultationCreate)
	r.GET("/portal/consultations/:id", s.pageSession, requireRole(accounts.Roles...), s.consultationPage)
	r.GET("/portal/consultations/:id/dashboard", s.pageSession, requireRole(accounts.Roles...), s.consultationDashboard)
	r.POST("/portal/consultations/:id/close", s.pageSession, requireRole(accounts.RoleAdmin), s.consultationClose)
	r.POST("/portal/consultations/:id/reopen", s.pageSession, requireRole(accounts.RoleAdmin), s.consultationReopen)
	r.POST("/portal/consultations/:id/open-link", s.pageSession, requireRole(accounts.RoleAdmin), s.consultationOpenLink)
	r.POST("/portal/consultations/:id/open-link/disable", s.pageSession, requireRole(accounts.RoleAdmin), s.consultationDisableOpenLink)
	linkRoles := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint) // as the API's invitations
	r.GET("/portal/consultations/:id/invite", s.pageSession, linkRoles, s.consultationInvitePage)
	r.POST("/portal/consultations/:id/invitations", s.pageSession, linkRoles, s.consultationInvite)
	r.POST("/portal/consultations/:id/new-links.xlsx", s.pageSession, linkRoles, s.consultationNewLinks)
	r.POST("/portal/consultations/:id/links.xlsx", s.pageSession, linkRoles, s.consultationLinks)
	r.POST("/portal/invitations/:id/revoke", s.pageSession, linkRoles, s.invitationRevoke)
	r.POST("/portal/invitations/:id/reissue", s.pageSession, linkRoles, s.invitationReissue)
	r.GET("/portal/comparisons", s.pageSession, requireRole(accounts.Roles...), s.comparisonPage)
	mailPages := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint) // as invitations
	r.GET("/portal/consultations/:id/mail", s.pageSession, mailPages, s.mailPreview)
	r.POST("/portal/consultations/:id/mail", s.pageSession, mailPages, s.mailSend)
	r.GET("/portal/consultations/:id/mail/log", s.pageSession, mailPages, s.mailLog)
	// The questionnaires: everyone reads and previews, admins upload and publish.
	r.GET("/portal/questionnaires", s.pageSession, requireRole(accounts.Roles...), s.questionnairesPage)
	r.GET("/portal/questionnaires/new", s.pageSession, requireRole(accounts.RoleAdmin), s.newQuestionnairePage)
	r.POST("/portal/questionnaires", s.pageSession, requireRole(accounts.RoleAdmin), s.uploadQuestionnairePage)
	r.GET("/portal/questionnaires/:id", s.pageSession, requireRole(accounts.Roles...), s.questionnairePage)
	r.GET("/portal/questionnaires/:id/preview", s.pageSession, requireRole(accounts.Roles...), s.questionnairePreview)
	r.POST("/portal/questionnaires/:id/preview", s.pageSession, requireRole(accounts.Roles...), s.questionnairePreviewPost)
	r.GET("/portal/questionnaires/:id/diff", s.pageSession, requireRole(accounts.Roles...), s.questionnaireDiffPage)
	r.POST("/portal/questionnaires/:id/publish", s.pageSession, requireRole(accounts.RoleAdmin), s.publishQuestionnairePage)
	r.POST("/portal/questionnaires/:id/versions", s.pageSession, requireRole(accounts.RoleAdmin), s.newVersionPage)
	r.GET("/portal/questionnaires/:id/replace", s.pageSession, requireRole(accounts.RoleAdmin), s.replaceQuestionnairePage)
	r.POST("/portal/questionnaires/:id/replace", s.pageSession, requireRole(accounts.RoleAdmin), s.replaceQuestionnaire)
	pageRegistry := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint) // analysts read only
	r.GET("/portal/stakeholders", s.pageSession, requireRole(accounts.Roles...), s.stakeholdersPage)
	r.POST("/portal/stakeholders", s.pageSession, pageRegistry, s.createStakeholderPage)
	r.GET("/portal/stakeholders/new", s.pageSession, pageRegistry, s.newStakeholderPage)
	r.GET("/portal/stakeholders/import", s.pageSession, pageRegistry, s.stakeholderImportPage)
	r.POST("/portal/stakeholders/import", s.pageSession, pageRegistry, s.importStakeholdersPage)
	r.GET("/portal/stakeholders/template.xlsx", s.pageSession, pageRegistry, s.stakeholderTemplate)
	r.GET("/portal/stakeholders/:id", s.pageSession, requireRole(accounts.Roles...), s.stakeholderPage)
	r.POST("/portal/stakeholders/:id", s.pageSession, pageRegistry, s.updateStakeholderPage)
	r.POST("/portal/stakeholders/:id/delete", s.pageSession, pageRegistry, s.deleteStakeholderPage)
	adminPage := r.Group("/admin", s.pageSession, requireRole(accounts.RoleAdmin))
	adminPage.GET("/users", s.adminUsers)
	adminPage.POST("/users", s.adminAddUser)
	adminPage.POST("/users/:id", s.adminUpdateUser)
	adminPage.POST("/users/:id/password-link", s.adminPasswordLink)
	adminPage.POST("/users/:id/tokens", s.adminCreateToken)
	adminPage.POST("/tokens/:id/revoke", s.adminRevokeToken)
	adminPage.GET("/audit", s.adminAudit)

	v1 := r.Group("/api/v1")
	v1.GET("/themes", h(s.listThemes))
	v1.GET("/countries", h(s.listCountries))

	staff := v1.Group("", s.authenticate)
	anyRole := requireRole(accounts.Roles...)
	admin := requireRole(accounts.RoleAdmin)

	staff.GET("/questionnaires", anyRole, h(s.listQuestionnaires))
	staff.POST("/questionnaires", admin, h(s.createQuestionnaire))
	staff.POST("/questionnaires/import", admin, h(s.importQuestionnaire))
	staff.GET("/questionnaires/:id", anyRole, h(s.getQuestionnaire))
	staff.PUT("/questionnaires/:id", admin, h(s.updateQuestionnaire))
	staff.POST("/questionnaires/:id/publish", admin, h(s.publishQuestionnaire))
	staff.GET("/questionnaires/:id/xlsform", anyRole, h(s.exportXLSForm))

	registry := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint) // analysts read only
	staff.GET("/stakeholders", anyRole, h(s.listStakeholders))
	staff.POST("/stakeholders", registry, h(s.createStakeholder))
	staff.POST("/stakeholders/import", registry, h(s.importStakeholders))
	staff.GET("/stakeholders/:id", anyRole, h(s.getStakeholder))
	staff.PUT("/stakeholders/:id", registry, h(s.updateStakeholder))
	staff.DELETE("/stakeholders/:id", registry, h(s.deleteStakeholder))

	staff.GET("/consultations", anyRole, h(s.listConsultations))
	staff.POST("/consultations", admin, h(s.createConsultation))
	staff.GET("/consultations/:id", anyRole, h(s.getConsultation))
	staff.POST("/consultations/:id/close", admin, h(s.closeConsultation))
	staff.POST("/consultations/:id/reopen", admin, h(s.reopenConsultation))
	staff.POST("/consultations/:id/open-link", admin, h(s.setOpenLink))
	staff.DELETE("/consultations/:id/open-link", admin, h(s.disableOpenLink))
	staff.GET("/consultations/:id/invitations", anyRole, h(s.listInvitations))
	staff.POST("/consultations/:id/invitations", registry, h(s.createInvitations))
	staff.GET("/consultations/:id/invitations.xlsx", registry, h(s.invitationsWorkbook))
	staff.POST("/consultations/:id/invitations.xlsx", registry, h(s.invitationsWorkbook))
	staff.POST("/invitations/:id/revoke", registry, h(s.revokeInvitation))
	staff.POST("/invitations/:id/reissue", registry, h(s.reissueInvitation))

	staff.GET("/consultations/:id/summary", anyRole, h(s.consultationSummary))
	staff.GET("/comparisons", anyRole, h(s.compareCountries))

	staff.POST("/exports", anyRole, h(s.createExport))
	staff.GET("/exports/:id", anyRole, h(s.getExport))
	staff.GET("/exports/:id/file", anyRole, h(s.exportFile))
	staff.POST("/exports/:id/retry", anyRole, h(s.retryExport))

	staff.GET("/audit", admin, h(s.listAudit))
	staff.GET("/users", admin, h(s.listUsers))
	staff.POST("/users", admin, h(s.createUser))
	staff.GET("/users/:id", admin, h(s.getUser))
	staff.PUT("/users/:id", admin, h(s.updateUser))
	staff.POST("/users/:id/password-link", admin, h(s.createPasswordLink))
	staff.GET("/users/:id/tokens", admin, h(s.listTokens))
	staff.POST("/users/:id/tokens", admin, h(s.createToken))
	staff.POST("/tokens/:id/revoke", admin, h(s.revokeToken))

	// A personal link is the stakeholder's key: no account, no session.
	v1.GET("/responses/:token", h(s.getResponse))
	v1.PUT("/responses/:token", h(s.putResponse))
	v1.POST("/responses/:token/submit", h(s.submitResponse))
}

// h adapts a handler that returns an error, so that every failure goes
// through the one error renderer.
func h(fn func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			fail(c, err)
		}
	}
}

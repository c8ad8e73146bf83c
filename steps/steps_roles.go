package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/scimulator/scimulator/internal/target"
)

// registerRoleSteps binds the steps that create and delete roles and set
// the client IP header on the Cortex side (SPEC §1.1, §1.2, §1.5): what an
// admin may change there without leaving a key, a user or the default
// role pointing at a role that is gone, or a header name no request can
// carry.
func registerRoleSteps(sc stepDefs) {
	sc.Step(`^the admin created the custom role "([^"]*)" with only "([^"]*)" on the target$`, must("SPEC §1.2 (custom roles hold any set of permissions)"),
		func(ctx context.Context, role, perms string) error {
			w := worldFrom(ctx)
			return w.createRole(ctx, w.scoped(role), strings.Split(perms, ","), false)
		})
	sc.Step(`^creating the custom role "([^"]*)" again with only "([^"]*)" (is refused|succeeds)$`,
		should("SPEC §1.2 (an API key carries a role: taking a role's name again with other permissions would change what its keys may do)"),
		func(ctx context.Context, role, perms, outcome string) error {
			w := worldFrom(ctx)
			return w.createRole(ctx, w.scoped(role), strings.Split(perms, ","), outcome == "is refused")
		})
	sc.Step(`^creating a role named like the built-in role "([^"]*)", with its own permissions, is refused$`, must("SPEC §1.2 (the built-in roles Admin, User and Viewer)"),
		func(ctx context.Context, role string) error {
			w := worldFrom(ctx)
			perms, err := w.rolePermissions(ctx, role)
			if err != nil {
				return err
			}
			if err := w.createRole(ctx, role, perms, true); err != nil {
				return err
			}
			return w.assertRolePermissions(ctx, role, perms)
		})
	sc.Step(`^deleting the built-in role "([^"]*)" on the target is refused$`, must("SPEC §1.2 (the built-in roles Admin, User and Viewer)"),
		func(ctx context.Context, role string) error {
			w := worldFrom(ctx)
			perms, err := w.rolePermissions(ctx, role)
			if err != nil {
				return err
			}
			if err := w.deleteRole(ctx, role, true); err != nil {
				return err
			}
			return w.assertRolePermissions(ctx, role, perms)
		})
	sc.Step(`^deleting the custom role "([^"]*)" on the target (is refused|succeeds)$`,
		should("SPEC §1.1 (the default role is given to users created through SCIM); SPEC §1.2 (an API key carries a role)"),
		func(ctx context.Context, role, outcome string) error {
			w := worldFrom(ctx)
			return w.deleteRole(ctx, w.scoped(role), outcome == "is refused")
		})
	sc.Step(`^deleting the app's custom role on the target is refused$`, should("SPEC §1.2 (an API key carries a role)"), onOrg(func(ctx context.Context, w *World) error {
		return w.deleteRole(ctx, w.scoped("scim-role"), true)
	}))
	sc.Step(`^the custom role "([^"]*)" holds exactly "([^"]*)" on the target$`, must("SPEC §1.2 (custom roles hold any set of permissions)"),
		func(ctx context.Context, role, perms string) error {
			w := worldFrom(ctx)
			return w.assertRolePermissions(ctx, w.scoped(role), strings.Split(perms, ","))
		})
	sc.Step(`^the custom role "([^"]*)" no longer exists on the target$`, must("SPEC §1.5 (roles)"), func(ctx context.Context, role string) error {
		w := worldFrom(ctx)
		res, err := w.probe(ctx, target.RolePermissions, target.Vars{"role": target.S(w.scoped(role))})
		if err != nil {
			return err
		}
		if res.Picked.Exists() {
			return w.fail(fmt.Sprintf("the role %s to be gone", w.scoped(role)), "it is listed with the permissions "+res.Picked.Raw, w.lastProbeExchange(), "", "")
		}
		return nil
	})
	sc.Step(`^the target's default role is the custom role "([^"]*)"$`, must("SPEC §1.1 (default role)"), func(ctx context.Context, role string) error {
		w := worldFrom(ctx)
		return w.changeSetting(ctx, target.SetDefaultRole, target.Vars{"role": target.S(w.scoped(role))})
	})
	sc.Step(`^"([^"]*)" has been given the custom role "([^"]*)" on the target$`, must("SPEC §1.5 (roles)"), onUserWith(func(ctx context.Context, w *World, u *user, role string) error {
		_, err := w.probeUser(ctx, u, target.GrantRole, target.Vars{"role": target.S(w.scoped(role))})
		return err
	}))
	sc.Step(`^the custom role "([^"]*)" of "([^"]*)" has been removed on the target$`, must("SPEC §1.5 (roles)"), func(ctx context.Context, role, alias string) error {
		return onUser(func(ctx context.Context, w *World, u *user) error {
			_, err := w.probeUser(ctx, u, target.RevokeRole, target.Vars{"role": target.S(w.scoped(role))})
			return err
		})(ctx, alias)
	})

	ipHeader := must("SPEC §1.1 (which header carries the client IP is a setting); RFC 9110 §5.1 (a field name is a token)")
	sc.Step(`^the target's client IP header is set to "([^"]*)"$`, ipHeader, func(ctx context.Context, header string) error {
		return worldFrom(ctx).setClientIPHeader(ctx, header, false)
	})
	sc.Step(`^setting the target's client IP header to "([^"]*)" is refused$`, ipHeader, func(ctx context.Context, header string) error {
		return worldFrom(ctx).setClientIPHeader(ctx, header, true)
	})
	sc.Step(`^the target's settings read back the client IP header "([^"]*)"$`, ipHeader, func(ctx context.Context, header string) error {
		w := worldFrom(ctx)
		res, err := w.probe(ctx, target.SettingsView, nil)
		if err != nil {
			return err
		}
		if got := res.Picked.Get("header"); !strings.EqualFold(got.String(), header) {
			return w.fail(fmt.Sprintf("the client IP header %q", header), orMissing(got), w.lastProbeExchange(), "", "")
		}
		return nil
	})
}

// createRole runs the createRole probe for the role name (already scoped,
// or a built-in name) with perms. refused says which answer is right: a
// refusal, or the role created (or found the same) with exactly perms in
// the answer.
func (w *World) createRole(ctx context.Context, name string, perms []string, refused bool) error {
	res, err := w.probe(ctx, target.CreateRole, target.Vars{"role": target.S(name), "permissions": target.J(perms)})
	if err != nil {
		return err
	}
	if !refused {
		w.noteObject("role", name)
	}
	switch {
	case refused && !res.Refused:
		return w.fail(fmt.Sprintf("creating the role %s with %s to be refused", name, strings.Join(perms, ",")),
			fmt.Sprintf("the target answered %d", res.Status), w.lastProbeExchange(), "", "")
	case !refused && res.Refused:
		return w.fail(fmt.Sprintf("the role %s created with %s", name, strings.Join(perms, ",")),
			fmt.Sprintf("the target refused it with %d", res.Status), w.lastProbeExchange(), "", "")
	case !refused && (!res.Picked.IsArray() || normNames(pickedNames(res.Picked)) != normNames(perms)):
		return w.fail(fmt.Sprintf("the answer to show the role %s with exactly %s", name, strings.Join(perms, ",")),
			orMissing(res.Picked), w.lastProbeExchange(), "", "")
	}
	return nil
}

// deleteRole runs the deleteRole probe for the role name and checks the
// target refused or accepted it, as refused says.
func (w *World) deleteRole(ctx context.Context, name string, refused bool) error {
	res, err := w.probe(ctx, target.DeleteRole, target.Vars{"role": target.S(name)})
	if err != nil {
		return err
	}
	return w.expectRefusal(res, refused, "deleting the role "+name)
}

// expectRefusal checks that the target refused the probe's action, or
// accepted it, as refused says; what names the action.
func (w *World) expectRefusal(res target.Result, refused bool, what string) error {
	if res.Refused == refused {
		return nil
	}
	want := map[bool]string{true: "refused", false: "accepted"}[refused]
	return w.fail(fmt.Sprintf("%s to be %s", what, want), fmt.Sprintf("the target answered %d", res.Status), w.lastProbeExchange(), "", "")
}

// rolePermissions reads the permissions of the role name; a role the
// target does not list is a failure.
func (w *World) rolePermissions(ctx context.Context, name string) ([]string, error) {
	res, err := w.probe(ctx, target.RolePermissions, target.Vars{"role": target.S(name)})
	if err != nil {
		return nil, err
	}
	if !res.Picked.IsArray() {
		return nil, w.fail(fmt.Sprintf("the role %s listed with its permissions", name), orMissing(res.Picked), w.lastProbeExchange(), "", "")
	}
	return pickedNames(res.Picked), nil
}

// assertRolePermissions checks that the role name holds exactly perms.
func (w *World) assertRolePermissions(ctx context.Context, name string, perms []string) error {
	got, err := w.rolePermissions(ctx, name)
	if err != nil {
		return err
	}
	if normNames(got) != normNames(perms) {
		return w.fail(fmt.Sprintf("the role %s to hold exactly %s", name, strings.Join(perms, ",")), strings.Join(got, ","), w.lastProbeExchange(), "", "")
	}
	return nil
}

// setClientIPHeader saves the settings for restoring, then sets the client
// IP header and checks the target accepted or refused it, as refused says.
func (w *World) setClientIPHeader(ctx context.Context, header string, refused bool) error {
	if err := w.saveSettings(ctx); err != nil {
		return err
	}
	res, err := w.probe(ctx, target.SetClientIPHeader, target.Vars{"header": target.S(header)})
	if err != nil {
		return err
	}
	if err := w.expectRefusal(res, refused, fmt.Sprintf("the client IP header %q", header)); err != nil {
		return err
	}
	if !refused && !strings.EqualFold(res.Picked.String(), header) {
		return w.fail(fmt.Sprintf("the answer to show the client IP header %q", header), orMissing(res.Picked), w.lastProbeExchange(), "", "")
	}
	return nil
}

package steps

import "context"

// Most step definitions start the same way: find the scenario's World, then
// the user a quoted alias names. The adapters below do that once, so each
// definition holds only what its step does. godog reads the signature of the
// function a step is bound to, so each adapter returns one with the step's
// exact argument list: the alias first, then the step's other arguments.

// userFunc is a step body that acts on one user of the scenario.
type userFunc func(ctx context.Context, w *World, u *user) error

// onUser binds a step whose only argument is the alias of a user an earlier
// step introduced; an unknown alias is a scenario error.
func onUser(fn userFunc) func(context.Context, string) error {
	return byAlias((*World).known, fn)
}

// onUserWith is onUser for a step with one more argument after the alias.
func onUserWith[A any](fn func(ctx context.Context, w *World, u *user, a A) error) func(context.Context, string, A) error {
	return func(ctx context.Context, alias string, a A) error {
		return onUser(func(ctx context.Context, w *World, u *user) error { return fn(ctx, w, u, a) })(ctx, alias)
	}
}

// onUserWith2 is onUser for a step with two more arguments after the alias.
func onUserWith2[A, B any](fn func(ctx context.Context, w *World, u *user, a A, b B) error) func(context.Context, string, A, B) error {
	return func(ctx context.Context, alias string, a A, b B) error {
		return onUser(func(ctx context.Context, w *World, u *user) error { return fn(ctx, w, u, a, b) })(ctx, alias)
	}
}

// onOktaUser binds a step whose only argument is the alias of an Okta user;
// the user is added to the org on first use, which needs an org.
func onOktaUser(fn userFunc) func(context.Context, string) error {
	return byAlias((*World).oktaUser, fn)
}

// onOktaUserWith is onOktaUser for a step with one more argument after the
// alias.
func onOktaUserWith[A any](fn func(ctx context.Context, w *World, u *user, a A) error) func(context.Context, string, A) error {
	return func(ctx context.Context, alias string, a A) error {
		return onOktaUser(func(ctx context.Context, w *World, u *user) error { return fn(ctx, w, u, a) })(ctx, alias)
	}
}

// onOktaUserWith2 is onOktaUser for a step with two more arguments after
// the alias.
func onOktaUserWith2[A, B any](fn func(ctx context.Context, w *World, u *user, a A, b B) error) func(context.Context, string, A, B) error {
	return func(ctx context.Context, alias string, a A, b B) error {
		return onOktaUser(func(ctx context.Context, w *World, u *user) error { return fn(ctx, w, u, a, b) })(ctx, alias)
	}
}

// onOrg binds a step without arguments that needs the scenario's Okta org.
func onOrg(fn func(ctx context.Context, w *World) error) func(context.Context) error {
	return func(ctx context.Context) error {
		w := worldFrom(ctx)
		if err := w.needOrg(); err != nil {
			return err
		}
		return fn(ctx, w)
	}
}

// onOrgWith is onOrg for a step with one argument.
func onOrgWith[A any](fn func(ctx context.Context, w *World, a A) error) func(context.Context, A) error {
	return func(ctx context.Context, a A) error {
		return onOrg(func(ctx context.Context, w *World) error { return fn(ctx, w, a) })(ctx)
	}
}

// onOrgWith2 is onOrg for a step with two arguments.
func onOrgWith2[A, B any](fn func(ctx context.Context, w *World, a A, b B) error) func(context.Context, A, B) error {
	return func(ctx context.Context, a A, b B) error {
		return onOrg(func(ctx context.Context, w *World) error { return fn(ctx, w, a, b) })(ctx)
	}
}

// byAlias resolves the step's alias with resolve and runs fn on the user.
func byAlias(resolve func(*World, string) (*user, error), fn userFunc) func(context.Context, string) error {
	return func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		u, err := resolve(w, alias)
		if err != nil {
			return err
		}
		return fn(ctx, w, u)
	}
}

package simulator

import (
	"context"
	"fmt"
)

// taskRec is a task and how to retry it, guarded by Org.mu.
type taskRec struct {
	task   Task
	family string
	retry  func(context.Context) (Result, error)
}

// Tasks returns every task (open and resolved) in creation order.
func (o *Org) Tasks() []Task {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Task, len(o.tasks))
	for i, t := range o.tasks {
		out[i] = t.task
	}
	return out
}

// OpenTasks returns the tasks still waiting for an admin.
func (o *Org) OpenTasks() []Task {
	var out []Task
	for _, t := range o.Tasks() {
		if t.Status == TaskOpen {
			out = append(out, t)
		}
	}
	return out
}

// RetryTask retries one open task ("Retry Selected" with one row): the
// failed operation runs again against the user's or group's current state.
// On success the task is resolved; on failure its message is updated.
func (o *Org) RetryTask(ctx context.Context, taskID string) (Result, error) {
	o.mu.Lock()
	var (
		found  bool
		status TaskStatus
		retry  func(context.Context) (Result, error)
	)
	for _, t := range o.tasks {
		if t.task.ID == taskID {
			found, status, retry = true, t.task.Status, t.retry
		}
	}
	o.mu.Unlock()
	if !found {
		return Result{}, fmt.Errorf("retry task: unknown task %q", taskID)
	}
	if status != TaskOpen {
		return Result{}, fmt.Errorf("retry task %s: task is already resolved", taskID)
	}
	return retry(ctx)
}

// RetrySelected retries several tasks one after another ("Retry Selected").
func (o *Org) RetrySelected(ctx context.Context, taskIDs ...string) ([]Result, error) {
	out := make([]Result, 0, len(taskIDs))
	var errs []error
	for _, id := range taskIDs {
		r, err := o.RetryTask(ctx, id)
		out = append(out, r)
		errs = append(errs, err)
	}
	return out, joinErrors(errs)
}

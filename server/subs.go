package server

import (
	"context"
	"fmt"
	"sort"
)

// subscription is a question whose answer is re-sent when an overlay edit
// (or discarding the overlay) changes it.
type subscription struct {
	msg     any
	verdict string // the verdict last sent
	// on is the view it was last decided on: an overlay's version, or
	// the loaded world (version numbers restart when an overlay is
	// opened again, views do not).
	on *view
}

// maxSubscriptions bounds what a connection may subscribe to.
const maxSubscriptions = 64

func subscribed(msg any) bool {
	switch m := msg.(type) {
	case *Ask:
		return m.Subscribe
	case *WhoCan:
		return m.Subscribe
	case *Can:
		return m.Subscribe
	}
	return false
}

// record keeps (or refreshes) a subscription with the verdict just sent.
// A connection holds at most maxSubscriptions; more are answered but not
// kept.
func (c *conn) record(id string, msg any, verdict string, on *view) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.subs) >= maxSubscriptions && c.subs[id] == nil {
		return
	}
	c.subs[id] = &subscription{msg: msg, verdict: verdict, on: on}
}

// overlayOp opens or discards the connection's overlay. Opening starts
// from the loaded world; discarding returns to it (and re-decides the
// subscriptions, which may change back).
func (c *conn) overlayOp(m *OverlayOp) {
	c.mu.Lock()
	if m.Type == typeOpen {
		if c.overlay != nil {
			c.mu.Unlock()
			c.reply(errorOut(m.ID, fmt.Errorf("open: an overlay is already open (discard it first)")))
			return
		}
		c.overlay = newView(c.s.base.eng, c.s.base.world, 1)
		c.mu.Unlock()
		c.reply(Out{Type: outOverlay, ID: m.ID, State: "open", Overlay: 1})
		return
	}
	if c.overlay == nil {
		c.mu.Unlock()
		c.reply(errorOut(m.ID, fmt.Errorf("discard: no overlay is open")))
		return
	}
	c.overlay = nil
	c.mu.Unlock()
	c.reply(Out{Type: outOverlay, ID: m.ID, State: "discarded"})
	c.redecide(c.s.base)
}

// edit applies one edit to the overlay: a copy-on-write copy of its world,
// loaded into a new store and engine. A refused edit (a document with an
// error, positioned in its text) leaves the overlay as it was.
func (c *conn) edit(m *Edit) {
	c.mu.Lock()
	cur := c.overlay
	c.mu.Unlock()
	if cur == nil {
		c.reply(errorOut(m.ID, fmt.Errorf("edit: open an overlay first")))
		return
	}
	cw := newCow(cur.world)
	if err := cw.apply(m); err != nil {
		c.reply(errorOut(m.ID, err))
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.Deadline)
	defer cancel()
	next, err := buildView(ctx, cw.w, cur.version+1)
	if err != nil {
		c.reply(errorOut(m.ID, err))
		return
	}
	c.mu.Lock()
	if c.overlay != cur { // discarded meanwhile
		c.mu.Unlock()
		c.reply(errorOut(m.ID, fmt.Errorf("edit: the overlay was discarded")))
		return
	}
	c.overlay = next
	c.mu.Unlock()
	c.reply(Out{Type: outOverlay, ID: m.ID, State: "edited", Overlay: next.version})
	c.redecide(next)
}

// redecide re-runs, on v, every subscribed question decided on another
// view, and re-sends those whose verdict changed (Update, Before). Each
// runs as a question (its deadline, in-flight limit and cancel); one
// still in flight is decided again when it ends (catchUp).
func (c *conn) redecide(v *view) {
	c.mu.Lock()
	var ids []string
	for id, s := range c.subs {
		if s.on != v {
			ids = append(ids, id)
		}
	}
	c.mu.Unlock()
	sort.Strings(ids)
	for _, id := range ids {
		c.redecideOne(id, v)
	}
}

func (c *conn) redecideOne(id string, v *view) {
	c.mu.Lock()
	sub := c.subs[id]
	c.mu.Unlock()
	if sub == nil {
		return
	}
	run := c.verb(sub.msg, id, false) // no streaming: only the verdict matters
	c.start(id, true, func(ctx context.Context) (Out, bool) {
		o := run(ctx, v)
		o.ID = id
		return c.settle(id, sub, o, v)
	})
}

// catchUp runs when question id has ended: a subscription decided on a
// view that is no longer the current one (an edit or a discard came while
// it was being decided) is decided again on the current view.
func (c *conn) catchUp(id string) {
	if c.ctx.Err() != nil {
		return
	}
	v := c.current()
	c.mu.Lock()
	sub := c.subs[id]
	stale := sub != nil && sub.on != v
	c.mu.Unlock()
	if stale {
		c.redecideOne(id, v)
	}
}

// settle records a subscription's new verdict and says whether to send.
// An error is sent and the subscription keeps its verdict, marked as
// decided on v (so it is not decided again until the next edit).
func (c *conn) settle(id string, sub *subscription, o Out, v *view) (Out, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subs[id] != sub {
		return o, o.Type == outError
	}
	sub.on = v
	if o.Type == outError {
		return o, true
	}
	before := sub.verdict
	if before == o.Verdict {
		return o, false
	}
	sub.verdict = o.Verdict
	o.Update, o.Before = true, &before
	return o, true
}

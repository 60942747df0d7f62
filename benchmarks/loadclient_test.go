package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// perConnection is how many questions a load client keeps in flight: the
// server's default limit per connection.
const perConnection = 8

// asked is a question in flight.
type asked struct {
	q    *loadQuestion
	sent time.Time
}

// ask sends m questions on c (question i of client k is
// qs[(k*7+i) % len(qs)], so the clients' mixes differ), at most
// perConnection in flight, and checks every message it receives: its id
// must be one of its questions in flight (else it is mixed up), a
// partial who-can grant one the engine found, the final answer the
// engine's direct answer.
func ask(ctx context.Context, c *websocket.Conn, client, m int, qs []*loadQuestion) loadResult {
	var (
		mu       sync.Mutex
		inflight = map[string]asked{}
		res      loadResult
		slots    = make(chan struct{}, perConnection)
		finished = make(chan struct{})
	)
	problem := func(format string, a ...any) {
		res.problems = append(res.problems, fmt.Sprintf("client %d: ", client)+fmt.Sprintf(format, a...))
	}
	go func() { // the reader
		defer close(finished)
		for {
			mu.Lock()
			all := res.answered >= m
			mu.Unlock()
			if all {
				return
			}
			c.SetReadDeadline(time.Now().Add(60 * time.Second))
			_, data, err := c.ReadMessage()
			if err != nil {
				mu.Lock()
				problem("read after %d answers: %v", res.answered, err)
				mu.Unlock()
				return
			}
			mu.Lock()
			receive(data, inflight, &res, slots, problem)
			mu.Unlock()
		}
	}()
	for i := range m {
		select {
		case slots <- struct{}{}:
		case <-finished:
		case <-ctx.Done():
		}
		if ctx.Err() != nil || isClosed(finished) {
			break
		}
		q := qs[(max(client, 0)*7+i)%len(qs)]
		id := fmt.Sprintf("c%d-q%d", client, i)
		msg := maps.Clone(q.body)
		msg["type"], msg["id"] = q.kind, id
		data, _ := json.Marshal(msg)
		mu.Lock()
		inflight[id] = asked{q: q, sent: time.Now()}
		mu.Unlock()
		if err := c.WriteMessage(websocket.TextMessage, data); err != nil {
			mu.Lock()
			problem("send %s: %v", id, err)
			mu.Unlock()
			break
		}
	}
	select {
	case <-finished:
	case <-ctx.Done():
		c.Close() // ends the reader
		<-finished
	}
	mu.Lock()
	defer mu.Unlock()
	res.lost = m - res.answered
	return res
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// receive checks one message against the questions in flight.
func receive(data []byte, inflight map[string]asked, res *loadResult, slots chan struct{}, problem func(string, ...any)) {
	var h struct {
		Type  string `json:"type"`
		ID    string `json:"id"`
		Grant *struct {
			Principal string `json:"principal"`
		} `json:"grant"`
	}
	if err := json.Unmarshal(data, &h); err != nil {
		problem("%s: %v", data, err)
		res.mixedUp++
		return
	}
	a, ok := inflight[h.ID]
	if !ok {
		problem("a %s message for %q, no question of this client in flight", h.Type, h.ID)
		res.mixedUp++
		return
	}
	switch h.Type {
	case "progress":
		return
	case "partial":
		if h.Grant == nil || !a.q.grants[h.Grant.Principal] {
			problem("%s: partial grant %s is not one the engine finds", h.ID, data)
			res.mixedUp++
		}
		return
	}
	delete(inflight, h.ID)
	<-slots
	res.answered++
	res.latencies = append(res.latencies, time.Since(a.sent))
	answer, err := got(a.q.kind, data)
	if err != nil || answer != a.q.want {
		at := 0
		for at < min(len(answer), len(a.q.want)) && answer[at] == a.q.want[at] {
			at++
		}
		from := max(0, at-80)
		problem("%s: the server's answer differs from the engine's direct answer at byte %d:\n got  …%.200s\n want …%.200s (%v)",
			h.ID, at, answer[min(from, len(answer)):], a.q.want[min(from, len(a.q.want)):], err)
		res.mixedUp++
	}
}

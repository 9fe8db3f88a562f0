// Live Q&A room client (protocol: events/PROTOCOL.md). No framework, no build step.
//
// The page is server-rendered and works without this script: every action is a
// normal form. When the WebSocket is open, those forms are sent over it instead,
// the list updates in place as events arrive, and a dropped connection reconnects
// with back-off and resynchronises from the last event number it saw.

const room = document.querySelector(".live-room");

if (room) {
  // data-t-status-live="…" → dataset.tStatusLive: translated strings from the template.
  const t = (key) => room.dataset[("t-" + key).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] || "";
  const $ = (root, role) => root.querySelector(`[data-role="${role}"]`);
  const list = $(room, "questions");
  const template = document.getElementById("live-question-template");
  const askForm = document.querySelector('form[data-live="ask"]');
  const statusForms = document.querySelectorAll('form[data-live="status"]');
  const staffPage = room.dataset.staff === "1";

  const state = {
    seq: null, // last applied event number; null until the first snapshot
    questions: new Map(),
    myVotes: new Set(),
    status: room.dataset.status,
    userId: room.dataset.user ? Number(room.dataset.user) : null,
  };
  let socket = null;
  let attempts = 0;
  let pingTimer = null;
  let syncing = false;
  let refCounter = 0;
  const pending = new Map(); // ref -> {ack, error}

  // --- Connection ---------------------------------------------------------------

  function setConnection(text) {
    $(room, "connection").textContent = text;
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    setConnection(attempts ? t("reconnecting") : t("connecting"));
    socket = new WebSocket(scheme + window.location.host + room.dataset.wsPath);
    socket.addEventListener("open", () => {
      attempts = 0;
      setConnection(t("connected"));
      room.classList.add("is-connected");
      sync();
      pingTimer = window.setInterval(() => send({ type: "ping" }), 30000);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      receive(frame);
    });
    socket.addEventListener("close", (event) => {
      room.classList.remove("is-connected");
      window.clearInterval(pingTimer);
      for (const handlers of pending.values()) handlers.error({ message: t("reconnecting") });
      pending.clear();
      if (event.code === 4404 || event.code === 4403) {
        setConnection(t("closed"));
        return;
      }
      // Exponential back-off with jitter: 1 s, 2 s, 4 s … at most 30 s.
      const delay = Math.min(30000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
      attempts += 1;
      setConnection(t("reconnecting"));
      window.setTimeout(connect, delay);
    });
  }

  function isOpen() {
    return socket && socket.readyState === WebSocket.OPEN;
  }

  function send(frame, handlers) {
    if (!isOpen()) return false;
    if (handlers) {
      refCounter += 1;
      frame.ref = refCounter;
      pending.set(refCounter, handlers);
    }
    socket.send(JSON.stringify(frame));
    return true;
  }

  function sync() {
    syncing = true;
    send({ type: "sync", last_seq: state.seq });
  }

  // --- Incoming frames ------------------------------------------------------------

  function receive(frame) {
    switch (frame.type) {
      case "hello":
        return;
      case "snapshot":
        state.seq = frame.seq;
        state.questions = new Map(frame.questions.map((q) => [q.id, q]));
        state.myVotes = new Set(frame.my_votes);
        setStatus(frame.session.status);
        if (frame.attendees !== null && frame.attendees !== undefined) setAttendees(frame.attendees);
        syncing = false;
        room.classList.add("is-synced");
        render();
        return;
      case "synced":
        syncing = false;
        return;
      case "presence":
        setAttendees(frame.attendees);
        return;
      case "pong":
        return;
      case "ack":
      case "error": {
        const handlers = frame.ref !== undefined ? pending.get(frame.ref) : null;
        if (handlers) {
          pending.delete(frame.ref);
          (frame.type === "ack" ? handlers.ack : handlers.error)(frame);
        } else if (frame.type === "error") {
          showRoomError(frame.message);
        }
        return;
      }
      default:
        if (typeof frame.seq === "number") applyEvent(frame);
    }
  }

  function applyEvent(frame) {
    if (state.seq === null) return; // the snapshot on its way includes it
    if (frame.seq <= state.seq) return; // already applied (replay or snapshot overlap)
    if (frame.seq > state.seq + 1) {
      if (!syncing) sync(); // a gap: fetch what was missed, in order
      return;
    }
    state.seq = frame.seq;
    switch (frame.type) {
      case "question.new":
      case "question.updated":
        state.questions.set(frame.question.id, frame.question);
        break;
      case "question.removed":
        state.questions.delete(frame.id);
        break;
      case "question.votes": {
        const question = state.questions.get(frame.id);
        if (question) question.vote_count = frame.vote_count;
        break;
      }
      case "session.status":
        setStatus(frame.session.status);
        if (staffPage && (frame.session.status === "ended" || frame.session.status === "archived")) {
          window.location.reload(); // the host controls change shape
        }
        break;
      default: // "tick": a change this viewer does not see
    }
    render();
  }

  // --- Rendering ---------------------------------------------------------------------

  function setAttendees(count) {
    $(room, "attendees").textContent = String(count);
    $(room, "attendees-wrap").hidden = false;
  }

  function setStatus(status) {
    state.status = status;
    room.dataset.status = status;
    const badge = $(room, "session-status");
    badge.textContent = t("status-" + status) || status;
    badge.className = `badge live-status live-status--${status}`;
    const open = status === "scheduled" || status === "live";
    if (askForm) askForm.closest("section").hidden = !open;
    for (const form of statusForms) {
      const action = form.dataset.action;
      form.hidden = !(action === "start" ? status === "scheduled" : open);
    }
  }

  function showRoomError(message) {
    const box = $(room, "room-error");
    box.textContent = message || t("error");
    box.hidden = false;
    window.setTimeout(() => (box.hidden = true), 6000);
  }

  function sorted() {
    return [...state.questions.values()].sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        b.vote_count - a.vote_count ||
        String(a.created_at).localeCompare(String(b.created_at)) ||
        a.id - b.id,
    );
  }

  function urlFor(base, id) {
    return base.replace(/\/0\/(vote|moderate)\/$/, `/${id}/$1/`);
  }

  function fill(item, q) {
    const visible = q.status === "approved" || q.status === "answered";
    const voted = state.myVotes.has(q.id);
    item.id = `q${q.id}`;
    item.dataset.id = String(q.id);
    item.className = `live-question status-${q.status}${q.pinned ? " is-pinned" : ""}`;
    const voteForm = item.querySelector('form[data-live="vote"]');
    voteForm.action = urlFor(room.dataset.voteUrl, q.id);
    voteForm.querySelector('input[name="up"]').value = voted ? "0" : "1";
    const button = voteForm.querySelector("button");
    button.setAttribute("aria-pressed", voted ? "true" : "false");
    button.disabled = !visible || !(state.status === "scheduled" || state.status === "live");
    $(item, "votes").textContent = String(q.vote_count);
    $(item, "pinned").hidden = !q.pinned;
    for (const status of ["pending", "hidden", "answered"]) {
      $(item, `status-${status}`).hidden = q.status !== status;
    }
    const author = $(item, "author");
    author.textContent = "";
    if (q.author) {
      const link = document.createElement("a");
      link.href = q.author.url;
      link.textContent = q.author.name;
      author.append(link);
    }
    $(item, "anonymous").hidden = !q.anonymous;
    // body_html and answer_html are sanitized server-side (core.markdown).
    $(item, "body").innerHTML = q.body_html;
    $(item, "answer").hidden = !q.answer_html;
    $(item, "answer-body").innerHTML = q.answer_html;
    $(item, "answered-by").textContent = q.answered_by ? q.answered_by.name : "";
    for (const form of item.querySelectorAll('form[data-live="moderate"]')) {
      form.action = urlFor(room.dataset.moderateUrl, q.id);
      const action = form.dataset.action;
      if (action === "approve") form.hidden = !(q.status === "pending" || q.status === "hidden");
      if (action === "hide") form.hidden = q.status === "hidden";
      if (action === "pin") form.hidden = q.pinned || !visible;
      if (action === "unpin") form.hidden = !q.pinned;
    }
    const textarea = item.querySelector('textarea[name="answer"]');
    if (textarea) {
      textarea.id = `answer-${q.id}`;
      const label = textarea.closest("form").querySelector("label");
      if (label) label.htmlFor = textarea.id;
      if (document.activeElement !== textarea) textarea.value = q.answer || "";
    }
  }

  function render() {
    const existing = new Map([...list.children].map((item) => [item.dataset.id, item]));
    const wanted = sorted();
    const items = wanted.map((q) => {
      let item = existing.get(String(q.id));
      if (!item) item = template.content.firstElementChild.cloneNode(true);
      existing.delete(String(q.id));
      fill(item, q);
      return item;
    });
    for (const gone of existing.values()) gone.remove();
    // Re-append only when the order changed, so keyboard focus is not disturbed needlessly.
    const current = [...list.children];
    if (current.length !== items.length || items.some((item, index) => current[index] !== item)) {
      for (const item of items) list.append(item);
    }
    $(room, "empty").hidden = items.length > 0;
  }

  // --- Outgoing actions (forms sent over the socket when it is open) ---------------------

  function questionId(form) {
    return Number(form.closest(".live-question").dataset.id);
  }

  function voteSubmitted(form) {
    const id = questionId(form);
    const question = state.questions.get(id);
    if (!question) return false;
    const up = !state.myVotes.has(id);
    const before = question.vote_count;
    // Optimistic: show the vote now, reconcile with the server's count on ack.
    question.vote_count += up ? 1 : -1;
    if (up) state.myVotes.add(id);
    else state.myVotes.delete(id);
    render();
    return send(
      { type: "vote", question_id: id, up },
      {
        ack: (frame) => {
          question.vote_count = frame.vote_count;
          render();
        },
        error: (frame) => {
          question.vote_count = before;
          if (up) state.myVotes.delete(id);
          else state.myVotes.add(id);
          render();
          showRoomError(frame.message);
        },
      },
    );
  }

  function askSubmitted(form) {
    const body = form.elements.body.value;
    const anonymous = form.elements.anonymous ? form.elements.anonymous.checked : false;
    const errorBox = form.querySelector('[data-role="ask-error"]');
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    errorBox.hidden = true;
    return send(
      { type: "ask", body, anonymous },
      {
        ack: () => {
          button.disabled = false;
          form.elements.body.value = "";
          form.elements.body.focus();
        },
        error: (frame) => {
          button.disabled = false; // the text stays in the box
          errorBox.textContent = frame.message;
          errorBox.hidden = false;
        },
      },
    );
  }

  function moderateSubmitted(form) {
    const action = form.dataset.action;
    const frame = { question_id: questionId(form) };
    if (action === "pin" || action === "unpin") {
      Object.assign(frame, { type: "pin", pinned: action === "pin" });
    } else if (action === "answer") {
      Object.assign(frame, { type: "answer", answer: form.elements.answer.value });
    } else {
      frame.type = action;
    }
    return send(frame, {
      ack: () => {
        const details = form.closest("details");
        if (details) details.open = false;
      },
      error: (reply) => showRoomError(reply.message),
    });
  }

  function statusSubmitted(form) {
    return send({ type: form.dataset.action }, { ack: () => {}, error: (r) => showRoomError(r.message) });
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.live || !isOpen() || state.seq === null) {
      return; // no socket yet: the form posts normally
    }
    const handlers = {
      vote: voteSubmitted,
      ask: askSubmitted,
      moderate: moderateSubmitted,
      status: statusSubmitted,
    };
    const handler = handlers[form.dataset.live];
    if (handler && handler(form)) event.preventDefault();
  });

  connect();
}

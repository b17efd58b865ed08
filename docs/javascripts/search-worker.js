// The site's search worker: Material's own, loaded unchanged, with what it is asked and what it answers
// changed in three ways.
//
// * One language's pages. The i18n plugin writes one search index for every language; a page's search
//   (`?home=zh/&homes=,zh/`: its language's folder and every language's) sets up the worker with its own
//   language's pages only, so an English search does not list the Chinese twin of each page and the reverse.
//   (The 404 page, served at every language's addresses, gives no `home`: it searches every page.)
// * A pasted message is searched as plain words. Material appends a trailing wildcard to every term, so
//   `shapes` also matches `shape`, `shaped`, ... and long pages with many prefix matches win; and it reads
//   lunr's query syntax in the text: a shape's `-1` excludes `1`, a `+` requires a word, `name:` is read as a
//   field. A query of three words or more with no Chinese in it (a message pasted from a traceback, not an
//   API name being typed) is searched word for word in the pages' text: no wildcard (but on a last word that
//   may still be being typed), no syntax, and without the reader's own numbers and addresses, which no page
//   shows.
// * A message's results are ranked by how much of the message, in its order, a section shows.
//
// Material's worker (`?worker=`, relative to this file) looks for lunr's language files next to itself:
// `importScripts` is given addresses relative to it.

"use strict"

;(() => {
  const parameters = new URL(self.location.href).searchParams
  const materialWorker = new URL(parameters.get("worker"), self.location.href)
  const home = parameters.get("home")
  const homes = (parameters.get("homes") || "").split(",")

  const SETUP = 0
  const QUERY = 2
  const RESULT = 3

  /** Each search document, by location: its text shows pairs of words (`pairsOf`); its boost weighs them. */
  const documents = new Map()
  const pairsByLocation = new Map()
  /** The words of each message searched for, in the order the worker answers the queries. */
  const pendingMessages = []

  /** The language folder a search document belongs to: the longest of the languages' folders it is in. */
  function homeOf(location) {
    return homes.filter(prefix => location.startsWith(prefix)).sort((a, b) => b.length - a.length)[0]
  }

  /** The words of a message or a page that a reader's own message can share: no numbers (shapes, counts,
   * values) and no hexadecimal addresses, which differ from run to run. */
  function messageWords(text) {
    return text
      .split(/[^\p{L}\p{N}_]+/u)
      .filter(word => word && !/^\d+$/.test(word) && !/^0x[\da-f]+$/i.test(word))
  }

  /** The pairs of consecutive words in a list of words, in lower case. */
  function pairs(words) {
    return words.slice(1).map((word, index) => `${words[index]} ${word}`.toLowerCase())
  }

  function pairsOf(location) {
    if (!pairsByLocation.has(location)) {
      const text = (documents.get(location)?.text || "").replace(/<[^>]*>|&[#\w]+;/g, " ")
      pairsByLocation.set(location, new Set(pairs(messageWords(text))))
    }
    return pairsByLocation.get(location)
  }

  /**
   * A message's results, the sections that show most of its words in its order first: how many of the
   * message's pairs of consecutive words a section shows ranks it (weighed by its page's search boost, which
   * puts the generated index pages below the recipes), and the search's score among equals. The reader's own
   * names break a pair or two; a page that shows the message shows the rest.
   */
  function rankByMessage(groups, words) {
    const wanted = new Set(pairs(words))
    const shown = item => (documents.get(item.location)?.boost ?? 1) *
      [...pairsOf(item.location)].filter(pair => wanted.has(pair)).length
    const byShownThenScore = (a, b) => b.shown - a.shown || b.score - a.score
    return groups
      .map(group => group.map(item => ({ ...item, shown: shown(item) })).sort(byShownThenScore))
      .sort((a, b) => byShownThenScore(a[0], b[0]))
  }

  /** A message pasted from a traceback, not an API name being typed: three words or more, none Chinese. */
  function isMessage(typed) {
    return typed.trim().split(/\s+/).length >= 3 && !/\p{sc=Han}/u.test(typed)
  }

  /**
   * The query Material's worker is given for a message's words: each looked up as it is in the pages' text
   * (`text:word^1`: a boost of 1 changes no score and keeps Material from appending its wildcard), but the
   * last word of a message typed up to it, which Material looks up as a prefix (`text:word*`).
   */
  function messageQuery(typed, words) {
    const last = words.length - 1
    return words
      .map((word, index) => index === last && typed.endsWith(word) ? `text:${word}` : `text:${word}^1`)
      .join(" ")
  }

  /** What Material's worker is asked, for what the page asked it. */
  function rewriteRequest(message) {
    switch (message.type) {
      case SETUP: {
        const docs = message.data.docs.filter(doc => home === null || homeOf(doc.location) === home)
        for (const doc of docs)
          documents.set(doc.location, doc)
        return { ...message, data: { ...message.data, docs } }
      }
      case QUERY: {
        const words = isMessage(message.data) ? messageWords(message.data) : []
        pendingMessages.push(words)
        return words.length ? { ...message, data: messageQuery(message.data, words) } : message
      }
      default:
        return message
    }
  }

  /** What the page is answered, for what Material's worker answered. */
  function rewriteAnswer(message) {
    if (message.type !== RESULT)
      return message
    const words = pendingMessages.shift() || []
    if (!words.length)
      return message
    return { ...message, data: { ...message.data, items: rankByMessage(message.data.items, words) } }
  }

  const addListener = self.addEventListener.bind(self)
  self.addEventListener = (type, listener, options) => addListener(
    type,
    type === "message" ? event => listener({ data: rewriteRequest(event.data) }) : listener,
    options
  )

  const answer = self.postMessage.bind(self)
  self.postMessage = message => answer(rewriteAnswer(message))

  const importRelativeToSelf = self.importScripts.bind(self)
  self.importScripts = (...urls) => importRelativeToSelf(...urls.map(url => new URL(url, materialWorker).href))

  self.importScripts(materialWorker.href)
})()

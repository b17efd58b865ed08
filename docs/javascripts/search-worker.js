// The site's search worker: Material's own, loaded unchanged, with one language's pages.
//
// The i18n plugin writes one search index for every language; a page's search (`?home=zh/&homes=,zh/`: its
// language's folder and every language's) sets up the worker with its own language's pages only, so an
// English search does not list the Chinese twin of each page and the reverse. (The 404 page, served at every
// language's addresses, gives no `home`: it searches every page.)
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

  /** The language folder a search document belongs to: the longest of the languages' folders it is in. */
  function homeOf(location) {
    return homes.filter(prefix => location.startsWith(prefix)).sort((a, b) => b.length - a.length)[0]
  }

  /** What Material's worker is asked, for what the page asked it. */
  function rewriteRequest(message) {
    switch (message.type) {
      case SETUP: {
        const docs = message.data.docs.filter(doc => home === null || homeOf(doc.location) === home)
        return { ...message, data: { ...message.data, docs } }
      }
      default:
        return message
    }
  }

  const addListener = self.addEventListener.bind(self)
  self.addEventListener = (type, listener, options) => addListener(
    type,
    type === "message" ? event => listener({ data: rewriteRequest(event.data) }) : listener,
    options
  )

  const importRelativeToSelf = self.importScripts.bind(self)
  self.importScripts = (...urls) => importRelativeToSelf(...urls.map(url => new URL(url, materialWorker).href))

  self.importScripts(materialWorker.href)
})()

-- Quarto behaviours that pandoc's own revealjs writer lacks, for the built-in engine.
-- Each mirrors Quarto 1.10's Lua/TypeScript (quarto-cli tag v1.10.18, MIT, Posit):
--  * `fig-alt` on a Markdown image becomes the <img> alt text;
--  * `.absolute` divs, spans and images: top/left/bottom/right/width/height attributes become
--    inline CSS (filters/quarto-post/reveal.lua, applyPosition);
--  * callouts (`::: {.callout-tip}` …) rendered like Quarto's revealjs renderer
--    (filters/customnodes/callout.lua), with titles from `title=`, the first heading or the
--    language's name (`callout-<type>-title` metadata, else Quarto's pt/en names);
--  * `code-line-numbers` (Quarto's revealjs default: true): code blocks with a language get
--    pandoc's `number-lines` class (filters/quarto-pre/line-numbers.lua), when the document's
--    `deck-code-line-numbers` metadata is true;
--  * auto-stretch: a slide whose only image is alone in a paragraph gets that image as a direct
--    child of the slide with class `r-stretch` (format-reveal.ts, applyStretch), when the
--    document's `deck-auto-stretch` metadata is true (Quarto's `auto-stretch`, default true).

local CALLOUT_TYPES = { note = true, warning = true, important = true, caution = true, tip = true }
local NAMES = {
  pt = { note = "Nota", warning = "Aviso", important = "Importante", caution = "Cuidado", tip = "Dica" },
  en = { note = "Note", warning = "Warning", important = "Important", caution = "Caution", tip = "Tip" },
}
local meta_lang, meta_names, stretch, line_numbers = "en", {}, false, false

local function css_size(value)
  if tonumber(value) ~= nil then return tostring(tonumber(value)) .. "px" end
  return value
end

local function apply_position(el)
  if not el.classes:includes("absolute") then return nil end
  local style = el.attributes["style"] or ""
  for _, key in ipairs({ "top", "left", "bottom", "right", "width", "height" }) do
    local value = el.attributes[key]
    if value ~= nil then
      style = style .. key .. ": " .. css_size(value) .. "; "
      el.attributes[key] = nil
    end
  end
  el.attributes["style"] = style
  return el
end

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    if class == "callout" then return "none" end
    local t = class:match("^callout%-(.+)$")
    if t and CALLOUT_TYPES[t] then return t end
  end
  return nil
end

local function display_name(t)
  local custom = meta_names["callout-" .. t .. "-title"]
  if custom then return custom end
  local lang = meta_lang:sub(1, 2)
  return (NAMES[lang] or NAMES.en)[t] or (t:sub(1, 1):upper() .. t:sub(2))
end

local function render_callout(div, t)
  local title = pandoc.Inlines({})
  if div.attributes["title"] then
    title = pandoc.read(div.attributes["title"], "markdown").blocks[1].content
  elseif div.content[1] and div.content[1].t == "Header" then
    title = div.content[1].content
    div.content:remove(1)
  end
  local appearance = div.attributes["appearance"] or (t == "none" and "simple" or "default")
  local icon = div.attributes["icon"] ~= "false" and t ~= "none"
  if appearance == "minimal" then icon = false; appearance = "simple" end
  if appearance == "default" and pandoc.utils.stringify(title) == "" and t ~= "none" then
    title = pandoc.Inlines({ pandoc.Str(display_name(t)) })
  end
  local body = pandoc.Div({}, pandoc.Attr("", { "callout-body" }))
  local icon_div = pandoc.Div({ pandoc.Plain({ pandoc.RawInline("html", "<i class='callout-icon'></i>") }) },
    pandoc.Attr("", { "callout-icon-container" }))
  local titled = #title > 0
  if titled then
    local head = pandoc.Div({}, pandoc.Attr("", { "callout-title" }))
    if icon then head.content:insert(icon_div) end
    head.content:insert(pandoc.Para({ pandoc.Strong(title) }))
    body.content:insert(head)
  elseif icon then
    body.content:insert(icon_div)
  end
  body.content:insert(pandoc.Div(div.content, pandoc.Attr("", { "callout-content" })))
  local classes = pandoc.List({ "callout" })
  if t ~= "none" then classes:insert("callout-" .. t) end
  if not icon then classes:insert("no-icon") end
  if titled then classes:insert("callout-titled") end
  classes:insert("callout-style-" .. appearance)
  local result = pandoc.Div({ body }, pandoc.Attr(div.identifier, classes))
  local rest = div.classes:filter(function(c) return c ~= "callout" and not c:match("^callout%-") end)
  local attrs = {}
  for k, v in pairs(div.attributes) do
    if k ~= "title" and k ~= "appearance" and k ~= "icon" and k ~= "collapse" then attrs[k] = v end
  end
  if #rest > 0 or next(attrs) ~= nil then
    return pandoc.Div({ pandoc.Div({ body }, pandoc.Attr("", classes)) }, pandoc.Attr(div.identifier, rest, attrs))
  end
  return result
end

-- ---------------------------------------------------------------- auto-stretch

local function count_images(blocks)
  local n = 0
  local function raw(el)
    if el.format == "html" then
      for _ in el.text:gmatch("<[Ii][Mm][Gg][%s>]") do n = n + 1 end
    end
  end
  pandoc.walk_block(pandoc.Div(blocks), {
    Image = function() n = n + 1 end, RawBlock = raw, RawInline = raw })
  return n
end

local function lone_image(block)
  if (block.t == "Para" or block.t == "Plain") and #block.content == 1 and block.content[1].t == "Image" then
    return block.content[1]
  end
  return nil
end

local function stretch_slide(blocks)
  if count_images(blocks) ~= 1 then return end   -- (Quarto also skips slides with an aside: refused here)
  for i, block in ipairs(blocks) do
    local img = lone_image(block)
    if img then
      if img.classes:includes("nostretch") then
        img.classes = img.classes:filter(function(c) return c ~= "nostretch" end)
        return
      end
      local style = img.attributes["style"] or ""
      if img.attributes["height"] == nil and not style:match("height:") and not img.classes:includes("absolute")
          and not img.classes:includes("r-stretch") and not img.classes:includes("stretch") then
        img.classes:insert("r-stretch")
      end
      blocks[i] = pandoc.Plain({ img })         -- written as a direct child of the <section>
      return
    end
  end
end

local function auto_stretch(doc)
  if not stretch then return nil end
  local slide, out = {}, pandoc.Blocks({})
  local nostretch = false
  local function flush()
    if #slide > 0 and not nostretch then stretch_slide(slide) end
    out:extend(slide)
    slide = {}
  end
  for _, block in ipairs(doc.blocks) do
    if (block.t == "Header" and block.level <= 2) or block.t == "HorizontalRule" then
      flush()
      nostretch = block.t == "Header" and block.classes:includes("nostretch")
    end
    table.insert(slide, block)
  end
  flush()
  doc.blocks = out
  return doc
end

return {
  { Meta = function(meta)
      if meta.lang then meta_lang = pandoc.utils.stringify(meta.lang):lower() end
      for k, v in pairs(meta) do
        if k:match("^callout%-.+%-title$") then meta_names[k] = pandoc.utils.stringify(v) end
      end
      local function flag(name) return meta[name] ~= nil and pandoc.utils.stringify(meta[name]) == "true" end
      stretch, line_numbers = flag("deck-auto-stretch"), flag("deck-code-line-numbers")
    end },
  { CodeBlock = function(el)
      if line_numbers and #el.classes > 0 and not el.classes:includes("number-lines") then
        el.classes:insert("number-lines")
        return el
      end
    end },
  { Image = function(img)
      local alt = img.attributes["fig-alt"]
      if alt then
        img.attributes["alt"] = alt
        img.attributes["fig-alt"] = nil
      end
      return apply_position(img) or img
    end,
    Span = apply_position,
    Div = function(div)
      local t = callout_type(div)
      if t then return render_callout(div, t) end
      return apply_position(div)
    end },
  { Pandoc = auto_stretch },
}

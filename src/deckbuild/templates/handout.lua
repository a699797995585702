-- Slides → reading handout (typst): drop pauses and slide-only markup, parse raw HTML
-- (pandas tables, custom HTML) into real blocks, and turn `::: notes` into a styled note box.

local function is_pause(el)
  return el.t == "Para" and pandoc.utils.stringify(el):gsub("%s", "") == "..."
end

function RawBlock(el)
  if el.format == "html" then
    if el.text:match("^%s*</?details") or el.text:match("^%s*<script") then
      return {}
    end
    -- adjacent inline boxes (e.g. token chips) would run together as plain text: space them
    local text = el.text:gsub("</span>%s*<span", "</span> <span")
    return pandoc.read(text, "html").blocks
  end
end

function RawInline(el)
  if el.format == "html" then return {} end
end

function Para(el)
  if is_pause(el) then return {} end
end

function Span(el)
  return el.content
end

function Header(el)
  el.attr = pandoc.Attr(el.identifier, {}, {})
  return el
end

function Div(el)
  if el.classes:includes("notes") then
    local out = {pandoc.RawBlock("typst", "#notes[")}
    for _, b in ipairs(el.content) do table.insert(out, b) end
    table.insert(out, pandoc.RawBlock("typst", "]"))
    return out
  end
  return el.content
end

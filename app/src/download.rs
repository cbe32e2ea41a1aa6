//! Saving what the app made (an exported diagram) as a file: a Blob behind a temporary object
//! URL, clicked through an `<a download>`. Nothing leaves the tab.

use crate::client::js_text;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// Saves `text` as `name` with the given MIME type.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|e| js_text(&e))?;
    save_blob(name, &blob)
}

pub fn save_blob(name: &str, blob: &Blob) -> Result<(), String> {
    let url = Url::create_object_url_with_blob(blob).map_err(|e| js_text(&e))?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: HtmlAnchorElement = doc.create_element("a").map_err(|e| js_text(&e))?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has started the download synchronously; the URL is no longer needed.
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// Largest PNG side and area: Chromium refuses canvases past 32,767 px a side or 268 M pixels,
/// and a PNG much larger than this is of no use to anyone attaching it to a ticket.
const MAX_SIDE: f64 = 16_384.0;
const MAX_AREA: f64 = 64.0e6;

/// Rasterises a standalone SVG of `width` × `height` user units to a PNG and saves it, at twice
/// the size (for sharp text) when that fits the limits above, smaller when it does not.
/// Asynchronous: the image decodes first; `done` gets the outcome.
pub fn save_svg_as_png(name: String, svg: &str, width: f64, height: f64, done: impl FnOnce(Result<(), String>) + 'static) {
    let scale = 2.0f64.min(MAX_SIDE / width.max(1.0)).min(MAX_SIDE / height.max(1.0)).min((MAX_AREA / (width * height).max(1.0)).sqrt());
    let (pw, ph) = ((width * scale).ceil().max(1.0), (height * scale).ceil().max(1.0));
    let img = match HtmlImageElement::new() {
        Ok(i) => i,
        Err(e) => return done(Err(js_text(&e))),
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(Box::new(done) as Box<dyn FnOnce(Result<(), String>)>)));
    let finish = {
        let done = done.clone();
        move |r: Result<(), String>| {
            if let Some(f) = done.borrow_mut().take() {
                f(r)
            }
        }
    };
    let on_error = {
        let finish = finish.clone();
        Closure::once(move || finish(Err("the browser could not draw the SVG".into())))
    };
    let image = img.clone();
    let on_load = Closure::once(move || {
        let r = (|| -> Result<(), String> {
            let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
            let canvas: HtmlCanvasElement = doc.create_element("canvas").map_err(|e| js_text(&e))?.unchecked_into();
            canvas.set_width(pw as u32);
            canvas.set_height(ph as u32);
            let cx: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").map_err(|e| js_text(&e))?.ok_or("no 2d context")?.unchecked_into();
            cx.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, pw, ph).map_err(|e| js_text(&e))?;
            let finish = finish.clone();
            let on_blob = Closure::once(move |blob: JsValue| {
                finish(match blob.dyn_into::<Blob>() {
                    Ok(b) => save_blob(&name, &b),
                    Err(_) => Err("the canvas gave no PNG (too large?)".into()),
                })
            });
            canvas.to_blob_with_type(on_blob.as_ref().unchecked_ref(), "image/png").map_err(|e| js_text(&e))?;
            on_blob.forget();
            Ok(())
        })();
        if let Err(e) = r {
            finish(Err(e));
        }
    });
    img.set_onload(Some(on_load.as_ref().unchecked_ref()));
    img.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_load.forget();
    on_error.forget();
    // A data: URL, not a blob: one: the page's CSP allows `img-src data:` only.
    let src = format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(svg)));
    img.set_src(&src);
}
